using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseExchange.Http;

/// <summary>
/// Two writers on one stream: the one whose expected version is stale loses and is told so (409), with the version
/// the stream has now, rather than overwriting the other's update. Most losers are caught by the command's own
/// version check; the others lose at commit time, and get the same answer.
/// </summary>
public static class ConcurrencyFailures
{
    public static bool IsConcurrencyFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JasperFx.ConcurrencyException
                or JasperFx.Events.EventStreamUnexpectedMaxEventIdException
                or JasperFx.Events.ExistingStreamIdCollisionException
                or Marten.Exceptions.ConcurrentUpdateException)
                return true;
        }
        return false;
    }

    public static ProblemDetails Problem() => new()
    {
        Status = StatusCodes.Status409Conflict,
        Type = ProblemTypes.ConcurrentUpdate,
        Title = "Modification concurrente",
        Detail = "Quelqu'un a modifié cet élément pendant que vous travailliez. Rechargez-le pour voir sa version actuelle, " +
                 "puis recommencez votre action : rien n'a été enregistré.",
    };

    /// <summary>The stream the commit lost on, when the failure names one.</summary>
    public static Guid? StreamOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var id = e switch
            {
                JasperFx.ConcurrencyException concurrency => concurrency.Id,
                JasperFx.Events.ExistingStreamIdCollisionException collision => collision.Id,
                _ => null,
            };
            if (id is Guid guid) return guid;
        }
        return null;
    }

    private static Guid? RouteStream(RouteValueDictionary routeValues)
    {
        foreach (var name in (string[])["situationId", "seanceId", "groupId", "memberId"])
            if (routeValues[name] is string value && Guid.TryParse(value, out var id)) return id;
        return null;
    }

    /// <summary>Adds the stream's current version (read after the failed commit) to a commit-time 409.</summary>
    public static async Task AddCurrentVersionAsync(ProblemDetails problem, Exception exception, HttpContext context)
    {
        var routeValues = context.Features.Get<IExceptionHandlerFeature>()?.RouteValues ?? context.Request.RouteValues;
        // Marten's version check at commit (SQLSTATE MT003) does not name the stream: the route's stream is the one written.
        var streamId = StreamOf(exception) ?? RouteStream(routeValues);
        if (streamId is null || routeValues["council"] is not string council) return;
        try
        {
            await using var session = context.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(council);
            if (await session.Events.FetchStreamStateAsync(streamId.Value, context.RequestAborted) is not { } state) return;
            problem.Extensions["currentVersion"] = state.Version;
            problem.Detail = $"Quelqu'un a modifié cet élément pendant que vous travailliez : sa version actuelle est la {state.Version}. " +
                             "Rechargez-le, puis recommencez votre action : rien n'a été enregistré.";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The 409 stands without the version; the client reloads anyway.
        }
    }
}

using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Hosting;

/// <summary>
/// Two writers on one stream: the one whose expected version is stale loses and is told so (409),
/// rather than overwriting the other's update.
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
}

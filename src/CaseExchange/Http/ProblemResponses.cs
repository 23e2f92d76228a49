using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Http;

/// <summary>
/// Every error leaves as RFC 9457 problem details: a stable <c>type</c> for programs, a French
/// <c>title</c>/<c>detail</c> for people, never a stack trace, a request body or a decrypted value.
/// </summary>
public static class ProblemResponses
{
    private static readonly Dictionary<int, string> FrenchTitles = new()
    {
        [400] = "Requête invalide",
        [401] = "Authentification requise",
        [403] = "Accès refusé",
        [404] = "Ressource introuvable",
        [405] = "Méthode non autorisée",
        [406] = "Format de réponse non disponible",
        [409] = "Conflit",
        [413] = "Requête trop volumineuse",
        [415] = "Type de contenu non pris en charge",
        [422] = "Requête impossible à traiter",
        [429] = "Trop de requêtes",
        [500] = "Erreur interne du service",
        [503] = "Service momentanément indisponible",
    };

    public static IServiceCollection AddCaseExchangeProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;

            // Problems that the framework or Wolverine wrote (a query value that does not parse, a body it could not read, a
            // bare status) carry English text that may quote the submitted value: only the status survives.
            if (problem.Type?.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal) != true) Replace(problem, status);

            if (problem.Title is null || !LooksFrench(problem.Title))
                problem.Title = FrenchTitles.GetValueOrDefault(status, "Erreur");

            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<KnownExceptionsAsProblems>();
        return services;
    }

    /// <summary>
    /// Errors and bare status codes become problem details for programs (the API) and French pages for people in a
    /// browser (see <see cref="ErrorPages"/>).
    /// </summary>
    public static void UseCaseExchangeProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = ErrorPages.Path,
            AllowStatusCode404Response = true,
            // KnownExceptionsAsProblems logs exception types and stack frames; the middleware would log messages too.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(ErrorPages.ShowAsync);
    }

    private static void Replace(ProblemDetails problem, int status)
    {
        var parameter = problem.Extensions.TryGetValue("parameter", out var name) && name is string text && IsIdentifier(text) ? text : null;
        var (type, title, detail) = problem.Title switch
        {
            "Invalid query string value" => (ProblemTypes.InvalidQuery, "Paramètre de requête invalide",
                $"Le paramètre {(parameter is null ? "" : $"« {parameter} » ")}de la requête n'a pas le format attendu (nombre, date ou identifiant) : corrigez-le puis renvoyez la demande."),
            "Invalid header value" => (ProblemTypes.Validation, "En-tête invalide", "Un en-tête de la requête n'a pas le format attendu."),
            "Invalid JSON format" or "Request body could not be read" or "Request body could not be deserialized" => (ProblemTypes.MalformedBody,
                "Corps de requête JSON invalide",
                "Le corps de la requête n'est pas un JSON valide pour cette opération : vérifiez la syntaxe, le nom et le type de chaque champ."),
            _ => (ProblemTypes.ForStatus(status), FrenchTitles.GetValueOrDefault(status, "Erreur"), null),
        };
        problem.Type = type;
        problem.Title = title;
        problem.Detail = detail;
        problem.Instance = null;
        problem.Extensions.Clear();
        if (problem is HttpValidationProblemDetails validation) validation.Errors.Clear();
    }

    private static bool IsIdentifier(string text) => text.Length is > 0 and <= 40 && text.All(char.IsAsciiLetterOrDigit);

    // Titles we write are French; the framework's defaults ("Bad Request", "Not Found"...) are replaced.
    private static bool LooksFrench(string title) => !FrameworkTitles.Contains(title);

    private static readonly HashSet<string> FrameworkTitles =
    [
        "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Method Not Allowed", "Not Acceptable", "Conflict",
        "Payload Too Large", "Unsupported Media Type", "Unprocessable Entity", "Too Many Requests",
        "An error occurred while processing your request.", "Service Unavailable", "One or more validation errors occurred.",
    ];
}

/// <summary>Stable problem types: programs branch on these, never on the French text.</summary>
public static class ProblemTypes
{
    public const string Prefix = "urn:caseexchange:problem:";
    public const string Validation = Prefix + "validation";
    public const string MalformedBody = Prefix + "malformed-body";
    public const string InvalidQuery = Prefix + "invalid-query";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string ConcurrentUpdate = Prefix + "concurrent-update";
    public const string OutOfOrder = Prefix + "out-of-order";
    public const string Unavailable = Prefix + "unavailable";
    public const string UnknownOutcome = Prefix + "unknown-outcome";
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";
    public const string Internal = Prefix + "internal";

    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        409 => ConcurrentUpdate,
        503 => Unavailable,
        >= 500 => Internal,
        _ => Prefix + status,
    };
}

/// <summary>An error that already knows the problem it stands for. Its message must never hold nominative data.</summary>
public class ProblemException(ProblemDetails problem) : Exception(problem.Title)
{
    public ProblemDetails Problem { get; } = problem;
}

/// <summary>Turns the exceptions we expect into their problem; everything else becomes an opaque 500.</summary>
internal sealed class KnownExceptionsAsProblems(IProblemDetailsService problems, ILogger<KnownExceptionsAsProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Of(exception, httpContext.Request.Method);
        if (problem?.Type == ProblemTypes.ConcurrentUpdate && !problem.Extensions.ContainsKey("currentVersion"))
            await ConcurrencyFailures.AddCurrentVersionAsync(problem, exception, httpContext);

        if (problem is null)
        {
            // Types and stack frames only: messages from lower layers are not trusted to be free of nominative data.
            var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value;
            logger.LogError("Unhandled {ExceptionType} at {Path}: {StackTrace}", ExceptionChain(exception), path, exception.StackTrace);
            problem = new ProblemDetails
            {
                Status = 500, Type = ProblemTypes.Internal, Title = "Erreur interne du service",
                // Never "nothing was recorded": the fault may come after the commit.
                Detail = "Une erreur inattendue s'est produite. Rechargez la page pour vérifier si votre action a été prise en compte " +
                         "avant de la recommencer, et communiquez l'identifiant de trace à l'administrateur.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        if (ErrorPages.WantsPage(httpContext))
        {
            // People in a browser get the French error page (re-executed by the exception handler), never a stack trace.
            ErrorPages.Remember(httpContext, problem);
            return false;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }

    /// <summary>The problem an expected exception stands for; null for an unexpected one.</summary>
    public static ProblemDetails? Of(Exception exception, string? method) => exception switch
    {
        ProblemException known => known.Problem,
        _ when ConcurrencyFailures.IsConcurrencyFailure(exception) => ConcurrencyFailures.Problem(),
        _ when UnknownOutcome.IsConnectionLoss(exception) => UnknownOutcome.Problem(UnknownOutcome.IsWrite(method)),
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode, Type = ProblemTypes.MalformedBody,
            Title = "Requête invalide", Detail = "La requête est mal formée.",
        },
        _ => null,
    };

    private static string ExceptionChain(Exception exception)
    {
        var types = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException) types.Add(e.GetType().FullName!);
        return string.Join(" <- ", types);
    }
}

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Http;

/// <summary>
/// People in a browser get French error pages; programs get problem details. A request is a person's when it is
/// not for the API, the development token issuer, the health checks or the OpenAPI document, and either reached a
/// page or asks for HTML.
/// </summary>
public static class ErrorPages
{
    public const string Path = "/erreur";
    private const string ProblemKey = "CaseExchange.Web.Problem";

    private static readonly string[] ProgramPaths = ["/api", "/dev", "/health", "/openapi"];

    public static bool WantsPage(HttpContext context)
    {
        // While an exception is handled, the request's path is already the error page's: judge the failed request.
        var failed = context.Features.Get<IExceptionHandlerPathFeature>();
        var path = failed is not null ? new PathString(failed.Path) : context.Request.Path;
        var endpoint = failed is not null ? failed.Endpoint : context.GetEndpoint();
        if (ProgramPaths.Any(p => path.StartsWithSegments(p))) return false;
        if (endpoint?.Metadata.GetMetadata<PageActionDescriptor>() is not null) return true;
        return context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>
    /// A response that ended with an error status and no body: a problem document for a program, the error page for a
    /// person. The page is re-executed in the same request (the pipeline's routing runs again for its path), so the
    /// status and the problem that the handler left are those the page shows.
    /// </summary>
    public static async Task ShowAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!WantsPage(http))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode } });
            return;
        }

        var (path, query) = (http.Request.Path, http.Request.QueryString);
        http.Features.Set<IStatusCodeReExecuteFeature>(new StatusCodeReExecuteFeature
        {
            OriginalPath = path.Value!, OriginalPathBase = http.Request.PathBase.Value!, OriginalQueryString = query.HasValue ? query.Value : null,
            Endpoint = http.GetEndpoint(), RouteValues = http.GetRouteData().Values,
        });
        http.SetEndpoint(null);
        http.Features.Get<IRouteValuesFeature>()?.RouteValues.Clear();
        http.Request.Path = $"{Path}/{http.Response.StatusCode}";
        http.Request.QueryString = QueryString.Empty;
        try
        {
            await context.Next(http);
        }
        finally
        {
            http.Request.Path = path;
            http.Request.QueryString = query;
            http.Features.Set<IStatusCodeReExecuteFeature>(null);
        }
    }

    /// <summary>Keeps the problem for the error page that the same request re-executes.</summary>
    public static void Remember(HttpContext context, ProblemDetails problem) => context.Items[ProblemKey] = problem;

    public static ProblemDetails? Recall(HttpContext context) => context.Items[ProblemKey] as ProblemDetails;
}

using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CaseExchange.Web;

/// <summary>
/// Around every page: prepares a council page's context (the member, their groups), turns a refusal, a conflict or
/// any other expected problem into the French error page with the right status, and marks the response as one that
/// no browser or proxy may keep (pages may show nominative data).
/// </summary>
public sealed class ProblemsAsPages : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";

        if (context.HandlerInstance is CouncilPageModel page)
        {
            try
            {
                await page.InitialiseAsync();
            }
            catch (Exception e) when (KnownExceptionsAsProblems.Of(e, context.HttpContext.Request.Method) is { } problem)
            {
                context.Result = Show(context.HttpContext, problem);
                return;
            }
        }

        var executed = await next();
        if (executed.Exception is { } exception && !executed.ExceptionHandled && KnownExceptionsAsProblems.Of(exception, context.HttpContext.Request.Method) is { } known)
        {
            executed.Result = Show(context.HttpContext, known);
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>An empty response with the problem's status: the status code pages re-execute the error page for it.</summary>
    private static StatusCodeResult Show(HttpContext context, ProblemDetails problem)
    {
        ErrorPages.Remember(context, problem);
        return new StatusCodeResult(problem.Status ?? StatusCodes.Status500InternalServerError);
    }
}

using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Web;

/// <summary>
/// A use case's own HTTP answer (a file: CR, CSV export) sent from a page handler, so that the page serves exactly what
/// the API serves, with the same checks and headers.
/// </summary>
public sealed class EndpointResult(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}

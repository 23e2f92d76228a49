using CaseExchange.Http;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal.AdministrativeActs;

/// <summary>
/// The trail of administrative acts for the auditeur, oldest first: filters by kind and by period of French days, paging,
/// and the CSV export of the same filter, from the API's use case.
/// </summary>
public sealed class ActesAdministratifsModel : CouncilPageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "type")] public string? Kind { get; set; }

    /// <summary>First day of the period (French time), included.</summary>
    [BindProperty(SupportsGet = true, Name = "du")] public DateOnly? FromDay { get; set; }

    /// <summary>Last day of the period, included.</summary>
    [BindProperty(SupportsGet = true, Name = "au")] public DateOnly? ToDay { get; set; }

    [BindProperty(SupportsGet = true, Name = "numero")] public int? PageNumber { get; set; }

    public AdministrativeActsPage? Acts { get; private set; }

    public int PageCount => Acts is null ? 0 : Math.Max(1, (Acts.TotalCount + Acts.PageSize - 1) / Acts.PageSize);

    public async Task OnGetAsync()
    {
        AdministrativeActsUseCase.Require(CouncilRequest);
        if (!Valid()) return;
        Acts = await AdministrativeActsUseCase.ListAsync(CouncilRequest, Filter, PageNumber, PageSize);
    }

    public async Task<IActionResult> OnGetExportAsync()
    {
        AdministrativeActsUseCase.Require(CouncilRequest);
        if (!Valid()) return Page();
        return new EndpointResult(await AdministrativeActsUseCase.ExportAsync(CouncilRequest, Filter));
    }

    private bool Valid()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
        try
        {
            Filter.Check().ThrowIfAny();
            return true;
        }
        catch (ProblemException e) when (e.Problem is HttpValidationProblemDetails validation)
        {
            FormErrors.Add(ModelState, validation, "", HttpContext, field => field == "kind" ? "type" : "du");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
    }

    private AdministrativeActFilter Filter => new(string.IsNullOrWhiteSpace(Kind) ? null : Kind.Trim(),
        FromDay is { } from ? Display.At(from, TimeOnly.MinValue) : null,
        ToDay is { } to ? Display.At(to.AddDays(1), TimeOnly.MinValue) : null);

    public string Link(int? page = null, string? handler = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["handler"] = handler,
            ["type"] = string.IsNullOrWhiteSpace(Kind) ? null : Kind.Trim(),
            ["du"] = FromDay is { } from ? Display.Iso(from) : null,
            ["au"] = ToDay is { } to ? Display.Iso(to) : null,
            ["numero"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Href("journal/actes-administratifs"), query.Where(q => q.Value is not null)!);
    }
}

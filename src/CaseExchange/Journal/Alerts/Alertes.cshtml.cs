using CaseExchange.Journal.Browsing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal.Alerts;

/// <summary>
/// The auditor's alerts over a period of French days (by default the last ninety days), from the API's use case:
/// members named, pseudonyms and instants only.
/// </summary>
public sealed class AlertesModel : CouncilPageModel
{
    /// <summary>First day of the period (French time), included.</summary>
    [BindProperty(SupportsGet = true, Name = "du")] public DateOnly? FromDay { get; set; }

    /// <summary>Last day of the period, included.</summary>
    [BindProperty(SupportsGet = true, Name = "au")] public DateOnly? ToDay { get; set; }

    public JournalAlertsResponse? Result { get; private set; }

    public async Task OnGetAsync()
    {
        BrowseJournalUseCase.RequireAuditor(CouncilRequest);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var from = FromDay is { } f ? Display.At(f, TimeOnly.MinValue) : (DateTimeOffset?)null;
        var to = ToDay is { } t ? Display.At(t.AddDays(1), TimeOnly.MinValue) : (DateTimeOffset?)null;
        var errors = from is { } a && to is { } b ? ListAlertsUseCase.Check(a, b) : null;
        if (errors is { Any: true })
        {
            ModelState.AddModelError("du", "Le premier jour doit précéder le dernier.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Result = await ListAlertsUseCase.HandleAsync(CouncilRequest, from, to);
    }

    public string MemberLink(Guid memberId) => $"{Href("journal")}?membre={memberId}";

    public string PseudonymLink(string pseudonym) => $"{Href("journal")}?pseudonyme={Uri.EscapeDataString(pseudonym)}";
}

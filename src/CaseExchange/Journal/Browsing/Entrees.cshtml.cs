using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Members;
using CaseExchange.Web;
using CaseExchange.Journal.Replay;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal.Browsing;

/// <summary>
/// The access journal for auditors: filters (member, pseudonym, period of French days), entries with their replayed
/// verdict, paging, and the CSV export of the same filter, served by the same use case as the API. Entries hold no
/// nominative content: pseudonyms, members (professionals), codes of the charter's lists.
/// </summary>
public sealed class EntreesModel(AccessReplay replay) : CouncilPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "membre")] public Guid? MemberId { get; set; }
    [BindProperty(SupportsGet = true, Name = "pseudonyme")] public string? Pseudonym { get; set; }

    /// <summary>First day of the period (French time), included.</summary>
    [BindProperty(SupportsGet = true, Name = "du")] public DateOnly? FromDay { get; set; }

    /// <summary>Last day of the period, included.</summary>
    [BindProperty(SupportsGet = true, Name = "au")] public DateOnly? ToDay { get; set; }

    [BindProperty(SupportsGet = true, Name = "numero")] public int? PageNumber { get; set; }

    public IReadOnlyList<MemberView> Members { get; private set; } = [];
    public JournalPage? Entries { get; private set; }

    public int PageCount => Entries is null ? 0 : (int)Math.Max(1, (Entries.TotalCount + Entries.PageSize - 1) / Entries.PageSize);

    /// <summary>More than one page: a previous one, or a next one (the count may have stopped at its cap).</summary>
    public bool Paged => Entries is { } e && (e.Page > 1 || e.HasNextPage);

    /// <summary>« 1 234 » or, past the count's cap, « plus de 1 000 ».</summary>
    public string TotalLabel => Entries is { } e ? CaseExchange.Http.CappedCount.Label(e.TotalCount, e.TotalCountCapped) : "";

    /// <summary>« Page 3 sur 7 », or « Page 3 » when the count stopped at its cap (the last page is not known).</summary>
    public string PageLabel => Entries is not { } e ? "" : e.TotalCountCapped ? $"Page {e.Page}" : $"Page {e.Page} sur {PageCount}";

    public async Task OnGetAsync()
    {
        BrowseJournalUseCase.RequireAuditor(CouncilRequest);
        Members = await BrowseMembersUseCase.ListAsync(CouncilRequest);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Entries = await BrowseJournalUseCase.ListAsync(CouncilRequest, replay, Filter, PageNumber, PageSize);
    }

    /// <summary>The filtered entries as a CSV file: the API's export use case, its checks and its file.</summary>
    public async Task<IActionResult> OnGetExportAsync()
    {
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        return new EndpointResult(await BrowseJournalUseCase.ExportAsync(CouncilRequest, replay, Filter));
    }

    private JournalFilter Filter => new(MemberId, Pseudonym, From, To);

    public DateTimeOffset? From => FromDay is { } day ? Display.At(day, TimeOnly.MinValue) : null;

    /// <summary>The use case's end is exclusive: the day after the last day of the period, at midnight.</summary>
    public DateTimeOffset? To => ToDay is { } day ? Display.At(day.AddDays(1), TimeOnly.MinValue) : null;

    public string Link(int? page = null, string? handler = null, string? pseudonym = null)
    {
        pseudonym ??= string.IsNullOrWhiteSpace(Pseudonym) ? null : Pseudonym.Trim();
        var query = new Dictionary<string, string?>
        {
            ["handler"] = handler,
            ["membre"] = MemberId?.ToString(),
            ["pseudonyme"] = pseudonym,
            ["du"] = FromDay is { } from ? Display.Iso(from) : null,
            ["au"] = ToDay is { } to ? Display.Iso(to) : null,
            ["numero"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Href("journal"), query.Where(q => q.Value is not null)!);
    }

    /// <summary>
    /// The replayed verdict, worded for the decision it judges: a rightly refused attempt is a "refus conforme", never a
    /// word that reads as an approval of the access.
    /// </summary>
    public static string VerdictLabel(string verdict, bool granted) => verdict switch
    {
        ReplayVerdicts.Legitimate => granted ? "Accès conforme" : "Refus conforme",
        ReplayVerdicts.Flagged => "À examiner",
        ReplayVerdicts.Informative => "Refus à noter",
        _ => verdict,
    };

    public static string RefusalLabel(string refusal) =>
        refusal == CaseExchange.Journal.JournalFailures.KeyUnavailable ? "Clé de la situation indisponible (défaillance technique)" : Refusals.Explain(refusal);
}

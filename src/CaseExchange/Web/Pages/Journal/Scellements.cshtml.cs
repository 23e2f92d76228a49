using CaseExchange.Journal.Browsing;
using CaseExchange.Journal.Checkpoints;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Web.Pages.Journal;

/// <summary>The council's checkpoints, latest first: their hashes are those to compare with the copies kept outside the database.</summary>
public sealed class ScellementsModel(JournalSealer sealer) : CouncilPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "numero")] public int? PageNumber { get; set; }

    public IReadOnlyList<CheckpointSummary> Checkpoints { get; private set; } = [];

    public async Task OnGetAsync() =>
        Checkpoints = await CheckpointEndpoints.List(Council, User, Session, Policy, PageNumber, PageSize, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await CheckpointEndpoints.Seal(Council, User, Session, Policy, sealer, HttpContext.RequestAborted);
        Tell(result.Sealed.Count == 0
            ? "Aucune chaîne n'a bougé depuis le dernier point de scellement : rien à sceller."
            : $"Point de scellement n° {result.Sealed[^1].Sequence} enregistré ({result.Sealed[^1].ChainCount} chaîne{(result.Sealed[^1].ChainCount > 1 ? "s" : "")}).");
        return Redirect(Href("journal/scellements"));
    }

    public int Current => Math.Max(PageNumber ?? 1, 1);
}

using CaseExchange.Journal.Anchors;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseExchange.Journal.Checkpoints;

/// <summary>
/// The council's checkpoints, latest first; the list of their hashes to send to the DPO, and the comparison of a list
/// the DPO kept with the database (the API's use cases).
/// </summary>
public sealed class ScellementsModel(JournalSealer sealer, NpgsqlDataSource dataSource) : CouncilPageModel
{
    public const int PageSize = 50;
    public const int MaxListBytes = 64 * 1024 * 1024;

    /// <summary>The list kept outside, as uploaded.</summary>
    [BindProperty(Name = "liste")] public IFormFile? List { get; set; }

    public AnchorComparisonView? Comparison { get; private set; }

    [BindProperty(SupportsGet = true, Name = "numero")] public int? PageNumber { get; set; }

    public IReadOnlyList<CheckpointSummary> Checkpoints { get; private set; } = [];

    public async Task OnGetAsync() =>
        Checkpoints = await CheckpointsUseCase.ListAsync(CouncilRequest, PageNumber, PageSize);

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await CheckpointsUseCase.SealAsync(CouncilRequest, sealer);
        Tell(result.Sealed.Count == 0
            ? "Aucune chaîne n'a bougé depuis le dernier point de scellement : rien à sceller."
            : $"Point de scellement n° {result.Sealed[^1].Sequence} enregistré ({result.Sealed[^1].ChainCount} chaîne{(result.Sealed[^1].ChainCount > 1 ? "s" : "")}).");
        return Redirect(Href("journal/scellements"));
    }

    public async Task<IActionResult> OnGetListeAsync() =>
        new EndpointResult(await AnchorsUseCase.ExportAsync(CouncilRequest, dataSource));

    public async Task<IActionResult> OnPostComparerAsync()
    {
        string? text = null;
        if (List is { Length: > 0 and <= MaxListBytes } file)
        {
            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync(HttpContext.RequestAborted);
        }
        Comparison = await QueryAsync(() => AnchorsUseCase.CompareAsync(CouncilRequest, new CompareAnchors(text), dataSource), mapField: _ => "liste");
        await OnGetAsync();
        return Page();
    }

    public int Current => Math.Max(PageNumber ?? 1, 1);
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal.Browsing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace CaseExchange.Journal.Anchors;

/// <summary>An exported list of checkpoint hashes, as text (the file the DPO kept).</summary>
public sealed record CompareAnchors(string? Anchors);

public sealed record AnchorDifferenceView(string Kind, string Explanation, long Sequence, string ExpectedHash, string? FoundHash, long? FoundAtSequence)
{
    public static AnchorDifferenceView Of(AnchorDifference d) =>
        new(d.Kind, AnchorDifferenceKinds.Explain(d.Kind), d.Sequence, d.ExpectedHash, d.FoundHash, d.FoundAtSequence);
}

public sealed record AnchorComparisonView(bool Matches, string Summary, int Compared, long DatabaseCount, long NewSinceExport,
    IReadOnlyList<AnchorDifferenceView> Differences)
{
    public static AnchorComparisonView Of(AnchorComparison c) => new(c.Matches, Summarise(c), c.Compared, c.DatabaseCount, c.NewSinceExport,
        [.. c.Differences.Select(AnchorDifferenceView.Of)]);

    public static string Summarise(AnchorComparison c) => c.Matches
        ? $"Les {c.Compared} points de scellement de la liste sont tous présents et inchangés dans la base ({c.NewSinceExport} scellé(s) depuis l'export)."
        : $"{c.Differences.Count} point(s) de scellement de la liste diffèrent de la base : le journal a été réécrit ou des points de scellement ont été supprimés.";
}

public static class AnchorEndpoints
{
    /// <summary>The list of the council's checkpoint hashes, to keep outside the database (e.g. mailed to the DPO daily).</summary>
    [WolverineGet("/api/councils/{council}/journal/anchors", Summary = "Liste des empreintes des points de scellement, à conserver hors de la base (auditeur)"), Tags("Journal")]
    public static Task<IResult> Export(CouncilRequest request, NpgsqlDataSource dataSource) => AnchorsUseCase.ExportAsync(request, dataSource);

    /// <summary>Compares a list exported earlier with the checkpoints the database holds now.</summary>
    [WolverinePost("/api/councils/{council}/journal/anchors/comparisons", Summary = "Comparer une liste d'empreintes exportée avec la base (auditeur)"), Tags("Journal")]
    public static Task<AnchorComparisonView> Compare(CompareAnchors? command, CouncilRequest request, NpgsqlDataSource dataSource) =>
        AnchorsUseCase.CompareAsync(request, command, dataSource);
}

public static class AnchorsUseCase
{
    public static async Task<IResult> ExportAsync(CouncilRequest request, NpgsqlDataSource dataSource)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        var now = request.Now;
        var anchors = await JournalAnchors.ReadAsync(dataSource, request.Council, request.Cancellation);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(JournalAnchors.Export(request.Council, now, anchors)),
            "text/plain; charset=utf-8", $"points-de-scellement-{request.Council}-{now:yyyyMMdd-HHmm}.txt");
    }

    public static async Task<AnchorComparisonView> CompareAsync(CouncilRequest request, CompareAnchors? command, NpgsqlDataSource dataSource)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        if (!JournalAnchors.TryParse(command?.Anchors, out var exported, out var error))
            new ValidationErrors().Add("anchors", error!).ThrowIfAny();
        var stored = await JournalAnchors.ReadAsync(dataSource, request.Council, request.Cancellation);
        return AnchorComparisonView.Of(JournalAnchors.Compare(request.Council, exported, stored));
    }
}

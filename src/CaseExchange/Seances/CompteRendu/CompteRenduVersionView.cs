namespace CaseExchange.Seances.CompteRendu;

/// <summary>A CR version; a withdrawn one has no downloads left, only the instant and reason of its withdrawal.</summary>
public sealed record CompteRenduVersionView(int Number, string ContentHash, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> Downloads,
    bool Withdrawn = false, DateTimeOffset? WithdrawnAt = null, string? WithdrawalReason = null)
{
    public static CompteRenduVersionView Of(string council, Guid seanceId, CompteRenduVersion v) =>
        new(v.Number, v.ContentHash, v.At, v.Withdrawn ? new Dictionary<string, string>() : CompteRenduFormats.All.ToDictionary(f => f,
            f => $"/api/councils/{council}/seances/{seanceId}/compte-rendu/{v.Number}/{f}"), v.Withdrawn, v.WithdrawnAt, v.WithdrawalReason);
}

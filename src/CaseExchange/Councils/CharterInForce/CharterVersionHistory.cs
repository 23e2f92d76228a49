using CaseExchange.Charter;
using Marten;

namespace CaseExchange.Councils.CharterInForce;

/// <summary>A charter version the council put in force: its policy (the deployment's, or narrowed by its own terms) and its text.</summary>
public sealed record AdoptedCharterVersion(string Version, string Fingerprint, DateTimeOffset At, CharterPolicy Policy, string? Charte, string? Reglement)
{
    /// <summary>Charte then règlement, as members read and sign them; null when the service no longer has the text.</summary>
    public string? FullText => Charte is null || Reglement is null ? null : CouncilCharter.FullText(Charte, Reglement);
}

/// <summary>The charter versions of a council, read from its stream's adoptions (one read, on the pages that need the texts).</summary>
public static class CharterVersionHistory
{
    /// <summary>
    /// Oldest first. The version shipped with the service is read from the deployment's policy, whose text is known only
    /// for the label it ships now (an earlier shipped text is not kept by the service: <see cref="AdoptedCharterVersion.FullText"/> null).
    /// </summary>
    public static async Task<IReadOnlyList<AdoptedCharterVersion>> LoadAsync(IQuerySession session, CharterPolicy deployment, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(Council.StreamId, token: cancellation);
        return [.. events.Select(e => e.Data switch
        {
            CouncilCharterVersionAdopted x => new AdoptedCharterVersion(x.Version, x.Fingerprint, x.At,
                deployment.NarrowedBy(x.Version, x.Fingerprint, x.Terms), x.Charte, x.Reglement),
            CharterVersionAdopted x when x.Version == deployment.Version =>
                new AdoptedCharterVersion(x.Version, x.Fingerprint, x.At, deployment, deployment.CharteText, deployment.ReglementText),
            CharterVersionAdopted x => new AdoptedCharterVersion(x.Version, x.Fingerprint, x.At, deployment, null, null),
            _ => null,
        }).OfType<AdoptedCharterVersion>()];
    }

    /// <summary>What changed since the last version the member signed, when it is not the one in force (null otherwise).</summary>
    public static CharterChanges? ChangesSinceSignature(IReadOnlyList<AdoptedCharterVersion> history, Member member, string? inForce)
    {
        if (inForce is null || member.HasSigned(inForce)) return null;
        var signed = member.SignedCharterVersions.LastOrDefault();
        if (signed is null) return null;
        var (from, to) = (history.LastOrDefault(v => v.Version == signed), history.LastOrDefault(v => v.Version == inForce));
        if (from is null || to is null) return null;
        var toText = to.FullText ?? "";
        return CharterDiff.Between(from.Version, from.FullText ?? toText, from.Policy, to.Version, toText, to.Policy) with
        {
            SignedTextKept = from.FullText is not null,
        };
    }
}

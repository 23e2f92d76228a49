using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;

namespace CaseExchange.Charter;

/// <summary>
/// The machine half of a council's own charter version, within the deployment's bounds (<c>charter/policy.json</c>): for
/// each closed list the entries the council keeps (codes and labels as adopted, so that a later change of the file never
/// changes a version already in force), its statistics threshold and its retention periods. Identity fields, age bands
/// and roles stay the deployment's.
/// </summary>
public sealed record CharterTerms(
    IReadOnlyDictionary<string, IReadOnlyList<ListEntry>> Lists, int StatisticsMinimumCount, int InactiveArchiveYears, int AgeLimitYears);

/// <summary>The closed lists a council may narrow: their name in <c>policy.json</c>, their French label, and how to read them.</summary>
public static class CharterLists
{
    public sealed record Narrowable(string Name, string Label, Func<CharterPolicy, IReadOnlyList<ListEntry>> Of);

    /// <summary>Every closed list but the action statuses (the states the follow-up works with, not a choice of the council).</summary>
    public static readonly IReadOnlyList<Narrowable> All =
    [
        new("referralReasons", "Motifs de signalement", p => p.ReferralReasons),
        new("urgencies", "Degrés d'urgence", p => p.Urgencies),
        new("personRoles", "Rôles des personnes concernées", p => p.PersonRoles),
        new("accessPurposes", "Motifs de consultation d'un dossier", p => p.AccessPurposes),
        new("archiveAccessReasons", "Motifs d'ouverture d'un dossier archivé", p => p.ArchiveAccessReasons),
        new("erasureOrderReasons", "Motifs d'un ordre d'effacement", p => p.ErasureOrderReasons),
        new("decisionKinds", "Décisions du groupe", p => p.DecisionKinds),
        new("actionKinds", "Actions décidées", p => p.ActionKinds),
        new("outcomes", "Issues d'une situation", p => p.Outcomes),
        new("partnerRoles", "Rôles des partenaires de l'annuaire", p => p.PartnerRoles),
        new("informationMeans", "Moyens d'information des personnes", p => p.InformationMeans),
        new("informationDeferralReasons", "Motifs de report de l'information", p => p.InformationDeferralReasons),
        new("compteRenduWithdrawalReasons", "Motifs de retrait d'un compte rendu", p => p.CompteRenduWithdrawalReasons),
        new("memberSuspensionReasons", "Motifs de suspension d'un membre", p => p.MemberSuspensionReasons),
        new("memberReinstatementReasons", "Motifs de levée d'une suspension", p => p.MemberReinstatementReasons),
        new("accessRequestChannels", "Canaux des demandes d'accès", p => p.AccessRequestChannels),
        new("accessRequestExtensionReasons", "Motifs de prolongation d'une demande d'accès", p => p.AccessRequestExtensionReasons),
    ];

    public static Narrowable? Named(string name) => All.FirstOrDefault(l => l.Name == name);

    /// <summary>Every entry of a list, those the council dropped included: to name and count what was recorded before.</summary>
    public static IReadOnlyList<ListEntry> WithRetired(this IReadOnlyList<ListEntry> list) => list is NarrowedList narrowed ? narrowed.Everything : list;
}

/// <summary>
/// A closed list as a council keeps it: enumerating it (forms, checks) gives the kept entries only; a label is still found
/// for an entry dropped since (what was recorded under an earlier version keeps its wording).
/// </summary>
public sealed class NarrowedList(IReadOnlyList<ListEntry> kept, IReadOnlyList<ListEntry> deployment) : IReadOnlyList<ListEntry>
{
    public IReadOnlyList<ListEntry> Everything { get; } = [.. kept, .. deployment.Where(d => kept.All(k => k.Code != d.Code))];

    public ListEntry this[int index] => kept[index];
    public int Count => kept.Count;
    public IEnumerator<ListEntry> GetEnumerator() => kept.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A council's own version: its label, its texts and its terms, and the fingerprint that a signature of it covers.</summary>
public static class CouncilCharter
{
    /// <summary>SHA-256 of the label, both texts and the terms (lists in a fixed order): what members sign.</summary>
    public static string Fingerprint(string version, string charte, string reglement, CharterTerms terms)
    {
        var canonical = new
        {
            version, charte, reglement,
            lists = CharterLists.All.Where(l => terms.Lists.ContainsKey(l.Name)).Select(l => new { l.Name, entries = terms.Lists[l.Name] }),
            terms.StatisticsMinimumCount, terms.InactiveArchiveYears, terms.AgeLimitYears,
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical)));
    }

    /// <summary>The charter text as members read and sign it: charte, then règlement.</summary>
    public static string FullText(string charte, string reglement) => charte.TrimEnd() + "\n\n" + reglement.TrimEnd();
}

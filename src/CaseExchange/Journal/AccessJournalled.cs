using CaseExchange.Charter;
using CaseExchange.Protection;

namespace CaseExchange.Journal;

/// <summary>
/// One access to a situation's nominative data (or a refused attempt), appended to the situation's journal chain
/// before anything is returned. Nothing nominative in clear: ids, the pseudonym and codes from the charter's closed
/// lists only; the written reason for an archive opening is sealed with the situation's key.
/// <para><see cref="Sequence"/> is the entry's version in its chain stream; <see cref="Hash"/> covers every other
/// field and <see cref="PreviousHash"/> (see <see cref="JournalHashing"/>), in the format named by <see cref="Format"/>.</para>
/// </summary>
public sealed record AccessJournalled(
    Guid EntryId,
    long Sequence,
    DateTimeOffset At,
    Guid? MemberId,
    string Subject,
    string Action,
    Guid SituationId,
    string Pseudonym,
    string? Purpose,
    string? ArchiveReasonCode,
    SealedText? ArchiveReasonDetail,
    bool Granted,
    string? Refusal,
    string PreviousHash,
    string Hash,
    int Format = JournalHashing.EntryFormat);

/// <summary>What was done, or attempted: a closed list, shown to auditors.</summary>
public static class JournalActions
{
    public const string FileOpening = "ouverture-dossier";
    public const string ArchiveOpening = "ouverture-archive";
    public const string NominativeExport = "export-nominatif";

    /// <summary>The coordonnateur answers a person's right of access: that person's data in one situation is exported.</summary>
    public const string RightOfAccessExport = "export-droit-acces";

    /// <summary>The coordonnateur orders the erasure of a situation's nominative data; the purpose is the order's reason code.</summary>
    public const string ErasureOrder = "ordre-effacement";

    /// <summary>A clear text (action owner, erasure reference…) was refused because it names a person known to the council.</summary>
    public const string IdentifyingTextRefused = "texte-identifiant-refuse";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { FileOpening, ArchiveOpening, NominativeExport, RightOfAccessExport, ErasureOrder, IdentifyingTextRefused };

    /// <summary>The purpose of a right-of-access export (the request itself is the purpose).</summary>
    public const string RightOfAccessPurpose = "demande-droit-acces";

    private static readonly IReadOnlyList<ListEntry> RightOfAccessPurposes =
        [new ListEntry(RightOfAccessPurpose, "Demande d'accès de la personne concernée (RGPD, art. 15)")];

    /// <summary>The closed list an entry's purpose comes from, by action.</summary>
    public static IReadOnlyList<ListEntry> PurposesFor(string action, CharterPolicy policy) => action switch
    {
        ErasureOrder => policy.ErasureOrderReasons,
        RightOfAccessExport => RightOfAccessPurposes,
        _ => policy.AccessPurposes,
    };

    public static string Label(string action) => action switch
    {
        FileOpening => "Ouverture du dossier nominatif",
        ArchiveOpening => "Ouverture d'un dossier archivé (situation clôturée)",
        NominativeExport => "Export contenant des données nominatives",
        RightOfAccessExport => "Réponse au droit d'accès d'une personne concernée",
        ErasureOrder => "Ordre d'effacement des données nominatives",
        IdentifyingTextRefused => "Texte refusé : il désigne une personne connue du conseil",
        _ => action,
    };
}

/// <summary>Why an entitled access still returned nothing: technical outcomes, next to the charter's <c>Refusals</c>.</summary>
public static class JournalFailures
{
    /// <summary>The situation's key could not be unwrapped (key ring unavailable): nothing was decrypted.</summary>
    public const string KeyUnavailable = "cle-indisponible";
}

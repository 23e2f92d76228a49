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

    public static readonly IReadOnlySet<string> All = new HashSet<string> { FileOpening, ArchiveOpening, NominativeExport };

    public static string Label(string action) => action switch
    {
        FileOpening => "Ouverture du dossier nominatif",
        ArchiveOpening => "Ouverture d'un dossier archivé (situation clôturée)",
        NominativeExport => "Export contenant des données nominatives",
        _ => action,
    };
}

/// <summary>Why an entitled access still returned nothing: technical outcomes, next to the charter's <c>Refusals</c>.</summary>
public static class JournalFailures
{
    /// <summary>The situation's key could not be unwrapped (key ring unavailable): nothing was decrypted.</summary>
    public const string KeyUnavailable = "cle-indisponible";
}

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

    /// <summary>
    /// The coordonnateur withdraws a CR version (its key is destroyed); on the council's chain, the purpose is the
    /// withdrawal's reason code. The séance and the version are on the séance's stream (<c>CompteRenduWithdrawn</c>).
    /// </summary>
    public const string CompteRenduWithdrawal = "retrait-compte-rendu";

    /// <summary>A clear text (action owner, erasure reference…) was refused because it names a person known to the council.</summary>
    public const string IdentifyingTextRefused = "texte-identifiant-refuse";

    /// <summary>A member asked the identity index whether a person is already concerned (at referral); on the council's chain.</summary>
    public const string DuplicateCheck = "verification-doublon";

    /// <summary>A member searched situations by name or birth date, with a purpose of the charter; journalled like an opening.</summary>
    public const string IdentitySearch = "recherche-identite";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { FileOpening, ArchiveOpening, NominativeExport, RightOfAccessExport, ErasureOrder, IdentifyingTextRefused, ServerCheck, CompteRenduWithdrawal, DuplicateCheck, IdentitySearch };

    /// <summary>The purpose of a duplicate check: the referral itself.</summary>
    public const string DuplicateCheckPurpose = "verification-avant-signalement";

    private static readonly IReadOnlyList<ListEntry> DuplicateCheckPurposes =
        [new ListEntry(DuplicateCheckPurpose, "Vérifier, au signalement, qu'aucune situation ne concerne déjà la personne")];

    /// <summary>
    /// The service decrypted a situation's persons in memory for a check of its own (a CR text, an action owner, an erasure
    /// reference, a right-of-access search, a retention date) and returned nothing of them; the purpose names the check.
    /// </summary>
    public const string ServerCheck = "controle-serveur";

    /// <summary>The checks behind <see cref="ServerCheck"/> entries: a closed list, like every purpose.</summary>
    public static class Checks
    {
        public const string CompteRenduText = "verification-texte-cr";
        public const string ActionOwner = "verification-responsable-action";
        public const string ErasureReference = "verification-reference-effacement";
        public const string AccessRequestSearch = "recherche-droit-acces";
        public const string RetentionDate = "echeance-conservation";
        public const string IdentityIndexing = "indexation-identites";
        public const string IdentityCorrection = "rectification-identite";
    }

    private static readonly IReadOnlyList<ListEntry> ServerCheckPurposes =
    [
        new(Checks.CompteRenduText, "Vérification qu'un texte du compte rendu ne nomme aucune personne concernée"),
        new(Checks.ActionOwner, "Vérification qu'un responsable d'action n'est pas une personne concernée"),
        new(Checks.ErasureReference, "Vérification qu'une référence d'effacement ne nomme aucune personne concernée"),
        new(Checks.AccessRequestSearch, "Recherche des situations d'une personne exerçant son droit d'accès"),
        new(Checks.RetentionDate, "Calcul de la date d'effacement (limite d'âge), par le service"),
        new(Checks.IdentityIndexing, "Indexation des identités d'une situation antérieure à l'index, par le service"),
        new(Checks.IdentityCorrection, "Mise à jour de l'index des identités après une rectification (RGPD, art. 16)"),
    ];

    /// <summary>The subject of entries made by the service itself (the retention sweep), with no member behind them.</summary>
    public const string SystemSubject = "systeme";

    /// <summary>The purpose of a right-of-access export (the request itself is the purpose).</summary>
    public const string RightOfAccessPurpose = "demande-droit-acces";

    private static readonly IReadOnlyList<ListEntry> RightOfAccessPurposes =
        [new ListEntry(RightOfAccessPurpose, "Demande d'accès de la personne concernée (RGPD, art. 15)")];

    /// <summary>The closed list an entry's purpose comes from, by action.</summary>
    public static IReadOnlyList<ListEntry> PurposesFor(string action, CharterPolicy policy) => action switch
    {
        ErasureOrder => policy.ErasureOrderReasons,
        CompteRenduWithdrawal => policy.CompteRenduWithdrawalReasons,
        RightOfAccessExport => RightOfAccessPurposes,
        ServerCheck => ServerCheckPurposes,
        DuplicateCheck => DuplicateCheckPurposes,
        _ => policy.AccessPurposes,
    };

    public static string Label(string action) => action switch
    {
        FileOpening => "Ouverture du dossier nominatif",
        ArchiveOpening => "Ouverture d'un dossier archivé (situation clôturée)",
        NominativeExport => "Export contenant des données nominatives",
        RightOfAccessExport => "Réponse au droit d'accès d'une personne concernée",
        ErasureOrder => "Ordre d'effacement des données nominatives",
        CompteRenduWithdrawal => "Retrait d'une version du compte rendu (contenu détruit)",
        IdentifyingTextRefused => "Texte refusé : il désigne une personne connue du conseil",
        ServerCheck => "Contrôle par le service (déchiffré en mémoire, rien n'est communiqué)",
        DuplicateCheck => "Vérification des doublons au signalement (index des identités, pseudonymes seulement)",
        IdentitySearch => "Recherche par nom ou date de naissance (index des identités, pseudonymes seulement)",
        _ => action,
    };
}

/// <summary>Why an entitled access still returned nothing: technical outcomes, next to the charter's <c>Refusals</c>.</summary>
public static class JournalFailures
{
    /// <summary>The situation's key could not be unwrapped (key ring unavailable): nothing was decrypted.</summary>
    public const string KeyUnavailable = "cle-indisponible";
}

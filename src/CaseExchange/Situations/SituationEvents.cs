using CaseExchange.Protection;

namespace CaseExchange.Situations;

// The situation stream. Every nominative value (identities, every free text) is a SealedText: ciphertext
// under the situation's key. Everything else is coarse and non-nominative by design (codes from the
// charter's closed lists, age bands, dates of the procedure, member and group ids).

/// <summary>One person concerned. Role and age band are in clear (coarse); the identity is sealed.</summary>
public sealed record SealedPerson(Guid PersonId, string Role, string AgeBand, SealedText Identity);

public sealed record SituationReferred(
    Guid SituationId,
    string Pseudonym,
    Guid GroupId,
    IReadOnlyList<string> Reasons,
    string Sector,
    string Urgency,
    Guid SignalledBy,
    string SignallingOrganisation,
    IReadOnlyList<SealedPerson> Persons,
    SealedText Facts,
    DateTimeOffset At);

public sealed record SituationPlacedOnAgenda(Guid SituationId, Guid SeanceId, DateTimeOffset SeanceDate, Guid PlacedBy, DateTimeOffset At);

/// <summary>The séance closed without examining the situation: it waits for a later séance (report).</summary>
public sealed record SituationPostponed(Guid SituationId, Guid SeanceId, Guid PostponedBy, DateTimeOffset At);

public sealed record Decision(string Kind, SealedText? Detail);

public sealed record SituationExamined(
    Guid SituationId, Guid SeanceId, SealedText DiscussionSummary, IReadOnlyList<Decision> Decisions, Guid RecordedBy, DateTimeOffset At);

/// <summary>An action decided for the follow-up. Its owner is an organisation and a role, never a private person.</summary>
public sealed record PlannedAction(Guid ActionId, string Kind, string OwnerOrganisation, string OwnerRole, DateOnly DueOn, SealedText Description);

public sealed record FollowUpAssigned(Guid SituationId, Guid ReferentId, IReadOnlyList<PlannedAction> Actions, Guid AssignedBy, DateTimeOffset At);

public sealed record FollowUpRecorded(Guid SituationId, Guid ActionId, string ActionStatus, SealedText Note, Guid RecordedBy, DateTimeOffset At);

public sealed record SituationTransferred(Guid SituationId, Guid FromGroupId, Guid ToGroupId, SealedText Reason, Guid TransferredBy, DateTimeOffset At);

public sealed record SituationClosed(Guid SituationId, string Outcome, SealedText? Comment, Guid ClosedBy, DateTimeOffset At);

/// <summary>
/// The situation's key was destroyed: every sealed value of the stream is now unreadable. The stream keeps its
/// non-nominative skeleton, so statistics and the access journal stay true.
/// </summary>
/// <para>For an erasure order, the reason is a code from the charter's closed list and the reference (e.g. the
/// court decision's number) passed the identity check before it was recorded.</para>
public sealed record NominativeDataErased(
    Guid SituationId, string Cause, Guid? OrderedBy, DateTimeOffset At, string? OrderReason = null, string? OrderReference = null);

public static class ErasureCauses
{
    public const string RetentionPeriodEnded = "fin-de-conservation";
    public const string AgeLimitReached = "limite-d-age";
    public const string ErasureOrder = "ordre-d-effacement";
}

/// <summary>
/// The situation came from the one-off import of the council's spreadsheet (appended right after its
/// <see cref="SituationReferred"/>): <c>At</c> is when it was imported, whereas the referral's own instant is the referral
/// date the sheet gave (<c>ReferredOnInSheet</c>, past only) or the import instant. The sheet's row number is no identity.
/// </summary>
public sealed record SituationImported(Guid SituationId, Guid ImportId, int FirstRow, DateOnly? ReferredOnInSheet, Guid ImportedBy, DateTimeOffset At);

/// <summary>
/// One import of the council's spreadsheet, an administrative act on a stream of its own (the import's id): counts only
/// (rows read, accepted, refused; situations created), never a value, a reason or a row number of the sheet.
/// </summary>
public sealed record SpreadsheetImported(Guid ImportId, int RowsRead, int RowsAccepted, int RowsRefused, int SituationsCreated, Guid ImportedBy, DateTimeOffset At);

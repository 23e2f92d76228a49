using CaseExchange.Protection;
using CaseExchange.Seances.CompteRendu;

namespace CaseExchange.Seances;

// The séance stream. Placing a situation on the ODJ and examining it are events of the situation's own stream
// (SituationPlacedOnAgenda, SituationExamined, SituationPostponed); the séance records what belongs to the meeting.

/// <summary>A séance planned for a group, at a date and (from issue 15 on) a place: a room, never a private address.</summary>
public sealed record SeanceScheduled(Guid SeanceId, Guid GroupId, DateTimeOffset Date, Guid ScheduledBy, DateTimeOffset At, string? Place = null);

/// <summary>The séance's place changed (same date).</summary>
public sealed record SeancePlaceChanged(Guid SeanceId, string Place, Guid ChangedBy, DateTimeOffset At);

/// <summary>The séance moved to another date (and possibly another place), for a reason of the closed list <see cref="Rescheduling.SeanceChangeReasons"/>.</summary>
public sealed record SeanceRescheduled(Guid SeanceId, DateTimeOffset PreviousDate, DateTimeOffset Date, string? Place, string Reason, Guid RescheduledBy, DateTimeOffset At);

/// <summary>
/// The séance will not take place, for a reason of the closed list. The situations waiting on its ODJ are postponed on
/// their own streams (<see cref="Situations.SituationPostponed"/>) in the same transaction, so they can be placed again.
/// </summary>
/// <summary>
/// A convocation established (règlement intérieur, article 6): its content frozen — the anonymised ODJ, place and time, the
/// charter's reminder — downloadable as it was. <c>Urgent</c>: convened without the eight days' notice.
/// </summary>
public sealed record SeanceConvened(Guid SeanceId, int Number, bool Urgent, Convocation.ConvocationContent Content, Guid ConvenedBy, DateTimeOffset At);

/// <summary>The partners invited to the general part (copied from the directory: organisation and role); replaces the previous list.</summary>
public sealed record SeancePartnersInvited(Guid SeanceId, IReadOnlyList<Guid> PartnerIds, IReadOnlyList<Guest> Guests, Guid InvitedBy, DateTimeOffset At);

/// <summary>
/// A non-nominative point of the general part of the ODJ (a phenomenon, a place, a collective action), its text checked by
/// the identity guard before it is appended (see <see cref="GeneralPart.AddGeneralItemUseCase"/>).
/// </summary>
public sealed record GeneralItemAdded(Guid SeanceId, Guid ItemId, string Kind, string Text, Guid AddedBy, DateTimeOffset At);

public sealed record GeneralItem(Guid ItemId, string Kind, string Text);

public sealed record ConvocationIssued(int Number, bool Urgent, DateTimeOffset At);

public sealed record SeanceCancelled(Guid SeanceId, string Reason, Guid CancelledBy, DateTimeOffset At);

/// <summary>The ODJ as fixed and sent to the members (convocation): the situations on it at that instant.</summary>
public sealed record AgendaPublished(Guid SeanceId, IReadOnlyList<Guid> SituationIds, Guid PublishedBy, DateTimeOffset At);

/// <summary>A guest of the general part: an organisation and a function, never a private name.</summary>
public sealed record Guest(string Organisation, string Function);

/// <summary>
/// Who attended. Règlement, article 8: only active members of the group who signed the charter in force attend the
/// nominative part; everyone else (members without the signature, the coordonnateur when not a member, guests)
/// attends the general part only. Recording again replaces the previous record (a correction).
/// </summary>
public sealed record AttendanceRecorded(
    Guid SeanceId, IReadOnlyList<Guid> NominativePart, IReadOnlyList<Guid> GeneralPartOnly, IReadOnlyList<Guest> Guests,
    Guid RecordedBy, DateTimeOffset At);

public sealed record SeanceClosed(Guid SeanceId, Guid ClosedBy, DateTimeOffset At);

/// <summary>
/// One version of the anonymised CR. The content is what was rendered, frozen, sealed under the version's own key
/// (<see cref="CompteRenduKeys"/>): every version stays downloadable as it was until the coordonnateur withdraws it,
/// which destroys that key. <see cref="Content"/> in clear is only found in versions recorded before sealing existed.
/// </summary>
public sealed record CompteRenduGenerated(
    Guid SeanceId, int Number, CompteRenduContent? Content, string ContentHash, Guid GeneratedBy, DateTimeOffset At, SealedText? SealedContent = null);

/// <summary>A CR version withdrawn by the coordonnateur, for a reason from the charter's closed list; its key is destroyed.</summary>
public sealed record CompteRenduWithdrawn(Guid SeanceId, int Number, string Reason, Guid WithdrawnBy, DateTimeOffset At);

/// <summary>Free text for the CR was refused because it named a person concerned. Says where and what kind, never the text.</summary>
public sealed record CompteRenduTextRefused(Guid SeanceId, IReadOnlyList<RefusedText> Findings, Guid WrittenBy, DateTimeOffset At);

public sealed record RefusedText(string Field, string Kind);

public sealed record CompteRenduVersion(int Number, string ContentHash, Guid GeneratedBy, DateTimeOffset At,
    string? WithdrawalReason = null, DateTimeOffset? WithdrawnAt = null)
{
    public bool Withdrawn => WithdrawnAt is not null;
}

/// <summary>A meeting of one working group: its ODJ publications, attendance, closure and CR versions.</summary>
public sealed class Seance
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid GroupId { get; set; }
    public DateTimeOffset Date { get; set; }
    public string? Place { get; set; }
    public int Reschedulings { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancellationReason { get; set; }
    public DateTimeOffset? AgendaPublishedAt { get; set; }
    public List<Guid> PublishedAgenda { get; set; } = [];
    public DateTimeOffset? AttendanceRecordedAt { get; set; }
    public List<Guid> NominativePart { get; set; } = [];
    public List<Guid> GeneralPartOnly { get; set; } = [];
    public List<Guest> Guests { get; set; } = [];
    public DateTimeOffset? ClosedAt { get; set; }
    public List<CompteRenduVersion> CompteRendus { get; set; } = [];
    public List<ConvocationIssued> Convocations { get; set; } = [];
    public List<Guid> InvitedPartnerIds { get; set; } = [];
    public List<GeneralItem> GeneralItems { get; set; } = [];
    public List<Guest> InvitedGuests { get; set; } = [];
    public int RefusedCompteRenduTexts { get; set; }

    public bool IsClosed => ClosedAt is not null;
    public bool IsCancelled => CancelledAt is not null;
    public bool AttendanceRecorded => AttendanceRecordedAt is not null;

    public void Apply(SeanceScheduled e)
    {
        Id = e.SeanceId;
        GroupId = e.GroupId;
        Date = e.Date;
        Place = e.Place;
    }

    public void Apply(SeancePlaceChanged e) => Place = e.Place;

    public void Apply(GeneralItemAdded e) => GeneralItems.Add(new GeneralItem(e.ItemId, e.Kind, e.Text));

    public void Apply(SeancePartnersInvited e)
    {
        InvitedPartnerIds = [.. e.PartnerIds];
        InvitedGuests = [.. e.Guests];
    }

    public void Apply(SeanceConvened e) => Convocations.Add(new ConvocationIssued(e.Number, e.Urgent, e.At));

    public void Apply(SeanceRescheduled e)
    {
        Date = e.Date;
        if (e.Place is not null) Place = e.Place;
        Reschedulings++;
    }

    public void Apply(SeanceCancelled e)
    {
        CancelledAt = e.At;
        CancellationReason = e.Reason;
    }

    public void Apply(AgendaPublished e)
    {
        AgendaPublishedAt = e.At;
        PublishedAgenda = [.. e.SituationIds];
    }

    public void Apply(AttendanceRecorded e)
    {
        AttendanceRecordedAt = e.At;
        NominativePart = [.. e.NominativePart];
        GeneralPartOnly = [.. e.GeneralPartOnly];
        Guests = [.. e.Guests];
    }

    public void Apply(SeanceClosed e) => ClosedAt = e.At;

    public void Apply(CompteRenduGenerated e) => CompteRendus.Add(new CompteRenduVersion(e.Number, e.ContentHash, e.GeneratedBy, e.At));

    public void Apply(CompteRenduTextRefused e) => RefusedCompteRenduTexts++;

    public void Apply(CompteRenduWithdrawn e)
    {
        var index = CompteRendus.FindIndex(v => v.Number == e.Number);
        if (index >= 0) CompteRendus[index] = CompteRendus[index] with { WithdrawalReason = e.Reason, WithdrawnAt = e.At };
    }
}

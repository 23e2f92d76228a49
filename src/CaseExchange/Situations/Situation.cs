namespace CaseExchange.Situations;

public static class SituationStatuses
{
    public const string Signalee = "signalee";
    public const string InscriteOrdreDuJour = "inscrite-odj";
    public const string Examinee = "examinee";
    public const string EnSuivi = "en-suivi";
    public const string Cloturee = "cloturee";

    public static string Label(string status) => status switch
    {
        Signalee => "Signalée, en attente d'examen",
        InscriteOrdreDuJour => "Inscrite à l'ordre du jour",
        Examinee => "Examinée",
        EnSuivi => "En suivi",
        Cloturee => "Clôturée",
        _ => status,
    };
}

/// <summary>A séance whose ODJ held the situation; <c>Postponed</c> when the séance closed without examining it.</summary>
public sealed record AgendaEntry(Guid SeanceId, DateTimeOffset SeanceDate, bool Examined, bool Postponed = false)
{
    public bool Pending => !Examined && !Postponed;
}

/// <summary>One examination: the séance and the decisions' kinds (codes from the charter's list; details stay sealed in the event).</summary>
public sealed record ExaminationRecord(Guid SeanceId, DateTimeOffset At, IReadOnlyList<string> DecisionKinds);

public sealed record ActionState(
    Guid ActionId, string Kind, string OwnerOrganisation, string OwnerRole, DateOnly DueOn, string Status, DateTimeOffset? AssignedAt = null);

/// <summary>
/// The write model of a situation and the source of its anonymised view. It is built from the events'
/// non-nominative fields only: no name, birth date, address or free text ever reaches it.
/// </summary>
public sealed class Situation
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Pseudonym { get; set; } = "";
    public Guid GroupId { get; set; }
    public List<string> Reasons { get; set; } = [];
    public string Sector { get; set; } = "";
    public string Urgency { get; set; } = "";
    public List<string> PersonRoles { get; set; } = [];
    public List<string> AgeBands { get; set; } = [];

    /// <summary>Per person concerned (id and role only): informed on/by, or deferred until (charte, article 21).</summary>
    public List<CaseExchange.Situations.Notices.PersonNotice> Notices { get; set; } = [];
    public Guid SignalledBy { get; set; }
    public DateTimeOffset ReferredAt { get; set; }
    public List<AgendaEntry> Agenda { get; set; } = [];
    public int ExaminationCount { get; set; }
    public DateTimeOffset? FirstExaminedAt { get; set; }
    public DateTimeOffset? LastExaminedAt { get; set; }
    public List<string> DecisionKinds { get; set; } = [];
    public List<ExaminationRecord> Examinations { get; set; } = [];
    public Guid? ReferentId { get; set; }
    public List<ActionState> Actions { get; set; } = [];
    public int TransferCount { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? NominativeDataErasedAt { get; set; }
    public string? ErasureCause { get; set; }

    /// <summary>Identity rectifications and facts added since the referral (counts and instant only; values stay sealed).</summary>
    public int CorrectionCount { get; set; }
    public int AddedFactCount { get; set; }
    public DateTimeOffset? LastFactAddedAt { get; set; }
    /// <summary>When the situation came in through the spreadsheet import (null: referred in the application).</summary>
    public DateTimeOffset? ImportedAt { get; set; }

    /// <summary>Situations linked by the coordonnateur (a family, siblings): pseudonyms only.</summary>
    public List<CaseExchange.Situations.Links.SituationLinkView> Links { get; set; } = [];

    public bool IsClosed => ClosedAt is not null;
    public bool IsErased => NominativeDataErasedAt is not null;

    public string Status =>
        IsClosed ? SituationStatuses.Cloturee
        : ReferentId is not null ? SituationStatuses.EnSuivi
        : Agenda.Any(a => a.Pending) ? SituationStatuses.InscriteOrdreDuJour
        : ExaminationCount > 0 ? SituationStatuses.Examinee
        : SituationStatuses.Signalee;

    public void Apply(SituationReferred e)
    {
        Id = e.SituationId;
        Pseudonym = e.Pseudonym;
        GroupId = e.GroupId;
        Reasons = [.. e.Reasons];
        Sector = e.Sector;
        Urgency = e.Urgency;
        PersonRoles = [.. e.Persons.Select(p => p.Role)];
        AgeBands = [.. e.Persons.Select(p => p.AgeBand)];
        Notices = [.. e.Persons.Select(p => new CaseExchange.Situations.Notices.PersonNotice(p.PersonId, p.Role))];
        SignalledBy = e.SignalledBy;
        ReferredAt = e.At;
    }

    public void Apply(SituationPlacedOnAgenda e) => Agenda.Add(new AgendaEntry(e.SeanceId, e.SeanceDate, Examined: false));

    public void Apply(SituationPostponed e) =>
        Agenda = [.. Agenda.Select(a => a.SeanceId == e.SeanceId && !a.Examined ? a with { Postponed = true } : a)];

    public void Apply(SituationExamined e)
    {
        Agenda = [.. Agenda.Select(a => a.SeanceId == e.SeanceId ? a with { Examined = true } : a)];
        ExaminationCount++;
        FirstExaminedAt ??= e.At;
        LastExaminedAt = e.At;
        DecisionKinds = [.. DecisionKinds.Union(e.Decisions.Select(d => d.Kind))];
        Examinations.Add(new ExaminationRecord(e.SeanceId, e.At, [.. e.Decisions.Select(d => d.Kind).Distinct()]));
    }

    public void Apply(FollowUpAssigned e)
    {
        ReferentId = e.ReferentId;
        Actions.AddRange(e.Actions.Select(a => new ActionState(a.ActionId, a.Kind, a.OwnerOrganisation, a.OwnerRole, a.DueOn, "en-cours", e.At)));
    }

    public void Apply(FollowUpRecorded e) =>
        Actions = [.. Actions.Select(a => a.ActionId == e.ActionId ? a with { Status = e.ActionStatus } : a)];

    public void Apply(SituationImported e) => ImportedAt = e.At;

    public void Apply(SituationTransferred e)
    {
        // The new group examines it afresh: pending agenda entries and the référent belong to the old group.
        GroupId = e.ToGroupId;
        TransferCount++;
        Agenda = [.. Agenda.Where(a => !a.Pending)];
        ReferentId = null;
    }

    public void Apply(SituationClosed e)
    {
        ClosedAt = e.At;
        Outcome = e.Outcome;
    }

    public void Apply(NominativeDataErased e)
    {
        NominativeDataErasedAt = e.At;
        ErasureCause = e.Cause;
    }

    public void Apply(CaseExchange.Situations.Links.SituationsLinked e) =>
        Links = [.. Links.Where(l => l.LinkId != e.LinkId), new CaseExchange.Situations.Links.SituationLinkView(e.LinkId, e.OtherSituationId, e.OtherPseudonym, e.Kind, e.At)];

    public void Apply(CaseExchange.Situations.Links.SituationsUnlinked e) => Links = [.. Links.Where(l => l.LinkId != e.LinkId)];

    /// <summary>A person added after the referral: role, age band and a notice to give, like the referral's persons.</summary>
    public void Apply(CaseExchange.Situations.Correction.PersonAddedToSituation e)
    {
        PersonRoles = [.. PersonRoles, e.Person.Role];
        AgeBands = [.. AgeBands, e.Person.AgeBand];
        Notices = [.. Notices, new CaseExchange.Situations.Notices.PersonNotice(e.Person.PersonId, e.Person.Role)];
    }

    /// <summary>A rectified birth date may move the person to another age band (persons are in the order of <see cref="Notices"/>).</summary>
    public void Apply(CaseExchange.Situations.Correction.IdentityCorrected e)
    {
        var i = Notices.FindIndex(n => n.PersonId == e.PersonId);
        if (i >= 0 && i < AgeBands.Count) AgeBands = [.. AgeBands.Select((band, j) => j == i ? e.AgeBand : band)];
        CorrectionCount++;
    }

    public void Apply(CaseExchange.Situations.Correction.FactAddedToSituation e)
    {
        AddedFactCount++;
        LastFactAddedAt = e.At;
    }

    public void Apply(CaseExchange.Situations.Notices.PersonInformed e) =>
        Notices = [.. Notices.Select(n => n.PersonId == e.PersonId
            ? n with { InformedOn = e.InformedOn, InformedBy = e.InformedBy, Means = e.Means, DeferredUntil = null, DeferralReason = null } : n)];

    public void Apply(CaseExchange.Situations.Notices.InformationDeferred e) =>
        Notices = [.. Notices.Select(n => n.PersonId == e.PersonId
            ? n with { DeferredUntil = e.ReviewOn, DeferralReason = e.Reason, DeferredBy = e.DeferredBy } : n)];
}

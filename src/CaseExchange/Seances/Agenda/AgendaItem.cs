using CaseExchange.Situations;

namespace CaseExchange.Seances.Agenda;

public static class AgendaItemStates
{
    public const string AExaminer = "a-examiner";
    public const string Examinee = "examinee";
    public const string Reportee = "reportee";
}

/// <summary>A situation on the ODJ, as convocations show it (règlement, article 6): pseudonym and coarse attributes only.</summary>
public sealed record AgendaItem(
    Guid SituationId, string Pseudonym, IReadOnlyList<string> Reasons, string Sector, string Urgency, IReadOnlyList<string> AgeBands,
    string State, bool OnPublishedAgenda)
{
    /// <summary>A situation placed on the séance, in the state its own stream records for that séance.</summary>
    public static AgendaItem Of(Situation s, Seance seance)
    {
        var entry = s.Agenda.First(a => a.SeanceId == seance.Id);
        var state = entry.Examined ? AgendaItemStates.Examinee : entry.Postponed ? AgendaItemStates.Reportee : AgendaItemStates.AExaminer;
        return new AgendaItem(s.Id, s.Pseudonym, s.Reasons, s.Sector, s.Urgency, s.AgeBands, state, seance.PublishedAgenda.Contains(s.Id));
    }
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Correction;
using CaseExchange.Situations.Referral;
using JasperFx.Events;

namespace CaseExchange.Situations.Viewing;

/// <summary>NOMINATIVE, IN CLEAR: a person of the full file.</summary>
[ReturnsNominativeData]
public sealed record PersonInFile(Guid PersonId, string Role, string AgeBand, PersonIdentity Identity)
{
    public override string ToString() => "[personne nominative]";
}

/// <summary>NOMINATIVE, IN CLEAR: a decision and its decrypted detail.</summary>
[ReturnsNominativeData]
public sealed record DecisionInFile(string Kind, string? Detail)
{
    public override string ToString() => "[décision nominative]";
}

/// <summary>NOMINATIVE, IN CLEAR: an action and its decrypted description.</summary>
[ReturnsNominativeData]
public sealed record ActionInFile(Guid ActionId, string Kind, string OwnerOrganisation, string OwnerRole, DateOnly DueOn, string Description)
{
    public override string ToString() => "[action nominative]";
}

/// <summary>One step of the situation's history, decrypted. Only the fields of its kind are set.</summary>
[ReturnsNominativeData]
public sealed record FileEntry(
    DateTimeOffset At, string Kind, string? By = null, Guid? SeanceId = null, string? Text = null,
    IReadOnlyList<DecisionInFile>? Decisions = null, IReadOnlyList<ActionInFile>? Actions = null,
    Guid? ActionId = null, string? ActionStatus = null, Guid? FromGroupId = null, Guid? ToGroupId = null, string? Outcome = null)
{
    public override string ToString() => $"[étape nominative {Kind}]";
}

/// <summary>
/// NOMINATIVE, IN CLEAR: the full file of a situation, decrypted at the boundary for one entitled member,
/// after the access was journalled. Never logged, cached or stored.
/// </summary>
[ReturnsNominativeData]
public sealed record NominativeSituationFile(
    AnonymisedSituation Summary, string GroupName, string SignalledBy, IReadOnlyList<PersonInFile> Persons, string Facts,
    IReadOnlyList<FileEntry> History, string Notice, IReadOnlyList<CorrectionInFile>? Corrections = null, IReadOnlyList<FactInFile>? AddedFacts = null)
{
    public override string ToString() => $"[dossier nominatif {Summary.Pseudonym}]";
}

/// <summary>NOMINATIVE, IN CLEAR: one field of a rectification, its value before and after.</summary>
[ReturnsNominativeData]
public sealed record FieldChange(string Field, string? Before, string? After)
{
    public override string ToString() => $"[rectification nominative {Field}]";
}

/// <summary>
/// NOMINATIVE, IN CLEAR: one rectification or addition since the referral (RGPD, art. 16): what changed, when, by whom.
/// <c>Kind</c> is a history kind (correction-identite, personne-ajoutee, fait-ajoute).
/// </summary>
[ReturnsNominativeData]
public sealed record CorrectionInFile(DateTimeOffset At, string Kind, string By, Guid? PersonId, string? PersonRole, IReadOnlyList<FieldChange> Changes)
{
    public override string ToString() => $"[correction nominative {Kind}]";
}

/// <summary>NOMINATIVE, IN CLEAR: a dated fact added after the referral.</summary>
[ReturnsNominativeData]
public sealed record FactInFile(Guid FactId, DateOnly On, string Text, DateTimeOffset AddedAt, string AddedBy)
{
    public override string ToString() => "[fait nominatif]";
}

public static class NominativeFileBuilder
{
    /// <summary>Decrypts every sealed value of the stream, opened by the vault for one journalled access.</summary>
    public static NominativeSituationFile Build(Situation situation, IReadOnlyList<IEvent> events, OpenedSituation cipher,
        IReadOnlyDictionary<Guid, Member> members, string groupName, string notice, CharterPolicy policy)
    {
        string NameOf(Guid memberId) => members.TryGetValue(memberId, out var m) ? $"{m.DisplayName} ({m.Organisation})" : "membre inconnu";

        var persons = new List<PersonInFile>();
        var facts = "";
        var signalledBy = "";
        var history = new List<FileEntry>();
        var corrections = new List<CorrectionInFile>();
        var addedFacts = new List<FactInFile>();
        string RoleOf(Guid personId) => persons.FirstOrDefault(p => p.PersonId == personId) is { } p ? policy.PersonRoles.LabelOf(p.Role) : "Personne concernée";
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case SituationReferred r:
                    persons.AddRange(r.Persons.Select(p => new PersonInFile(p.PersonId, p.Role, p.AgeBand,
                        cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, p.Identity))));
                    facts = cipher.Open(SealedFields.Facts, r.Facts);
                    signalledBy = NameOf(r.SignalledBy);
                    history.Add(new FileEntry(r.At, "signalement", signalledBy));
                    break;
                case SituationPlacedOnAgenda p:
                    history.Add(new FileEntry(p.At, "inscription-odj", NameOf(p.PlacedBy), SeanceId: p.SeanceId));
                    break;
                case SituationPostponed p:
                    history.Add(new FileEntry(p.At, "report", NameOf(p.PostponedBy), SeanceId: p.SeanceId));
                    break;
                case SituationExamined x:
                    history.Add(new FileEntry(x.At, "examen", NameOf(x.RecordedBy), SeanceId: x.SeanceId,
                        Text: cipher.Open(SealedFields.DiscussionSummary, x.DiscussionSummary),
                        Decisions: [.. x.Decisions.Select(d => new DecisionInFile(d.Kind, d.Detail is null ? null : cipher.Open(SealedFields.DecisionDetail, d.Detail)))]));
                    break;
                case FollowUpAssigned f:
                    history.Add(new FileEntry(f.At, "suivi-confie", NameOf(f.AssignedBy), Text: $"Référent : {NameOf(f.ReferentId)}",
                        Actions: [.. f.Actions.Select(a => new ActionInFile(a.ActionId, a.Kind, a.OwnerOrganisation, a.OwnerRole, a.DueOn,
                            cipher.Open(SealedFields.ActionDescription, a.Description)))]));
                    break;
                case FollowUpRecorded f:
                    history.Add(new FileEntry(f.At, "suivi", NameOf(f.RecordedBy), Text: cipher.Open(SealedFields.FollowUpNote, f.Note),
                        ActionId: f.ActionId, ActionStatus: f.ActionStatus));
                    break;
                case SituationImported imp:
                    history.Add(new FileEntry(imp.At, "import", NameOf(imp.ImportedBy),
                        Text: $"Importée du tableur du conseil (ligne {imp.FirstRow}){(imp.ReferredOnInSheet is { } d ? $", signalée le {d:dd/MM/yyyy} selon le tableur" : "")}."));
                    break;
                case SituationTransferred t:
                    history.Add(new FileEntry(t.At, "transfert", NameOf(t.TransferredBy), Text: cipher.Open(SealedFields.TransferReason, t.Reason),
                        FromGroupId: t.FromGroupId, ToGroupId: t.ToGroupId));
                    break;
                case PersonAddedToSituation a:
                    var added = new PersonInFile(a.Person.PersonId, a.Person.Role, a.Person.AgeBand,
                        cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, a.Person.Identity));
                    persons.Add(added);
                    history.Add(new FileEntry(a.At, "personne-ajoutee", NameOf(a.AddedBy)));
                    corrections.Add(new CorrectionInFile(a.At, "personne-ajoutee", NameOf(a.AddedBy), added.PersonId, added.Role,
                        [new FieldChange("Personne", null, $"{added.Identity.Prenom} {added.Identity.Nom} ({added.Identity.DateNaissance:dd/MM/yyyy})")]));
                    break;
                case IdentityCorrected c:
                    var i = persons.FindIndex(p => p.PersonId == c.PersonId);
                    if (i < 0) break;
                    var before = persons[i];
                    var after = cipher.OpenJson<IdentityCorrection>(SealedFields.IdentityCorrection, c.Correction).AppliedTo(before.Identity);
                    persons[i] = before with { AgeBand = c.AgeBand, Identity = after };
                    history.Add(new FileEntry(c.At, "correction-identite", NameOf(c.CorrectedBy)));
                    corrections.Add(new CorrectionInFile(c.At, "correction-identite", NameOf(c.CorrectedBy), c.PersonId, before.Role,
                        [.. c.Fields.Select(f => new FieldChange(IdentityFields.Label(f), ValueOf(before.Identity, f), ValueOf(after, f)))]));
                    break;
                case FactAddedToSituation f:
                    var fact = cipher.OpenJson<DatedFact>(SealedFields.AddedFact, f.Fact);
                    addedFacts.Add(new FactInFile(f.FactId, fact.On, fact.Text, f.At, NameOf(f.AddedBy)));
                    history.Add(new FileEntry(f.At, "fait-ajoute", NameOf(f.AddedBy), Text: $"Fait du {fact.On:dd/MM/yyyy} : {fact.Text}"));
                    corrections.Add(new CorrectionInFile(f.At, "fait-ajoute", NameOf(f.AddedBy), null, null,
                        [new FieldChange($"Fait du {fact.On:dd/MM/yyyy}", null, fact.Text)]));
                    break;
                case Notices.PersonInformed n:
                    history.Add(new FileEntry(n.At, "information", NameOf(n.InformedBy),
                        Text: $"{RoleOf(n.PersonId)} informée le {n.InformedOn:dd/MM/yyyy} ({policy.InformationMeans.LabelOf(n.Means).ToLowerInvariant()})"));
                    break;
                case Notices.InformationDeferred deferred:
                    history.Add(new FileEntry(deferred.At, "information-differee", NameOf(deferred.DeferredBy),
                        Text: $"{RoleOf(deferred.PersonId)} : information différée ({policy.InformationDeferralReasons.LabelOf(deferred.Reason).ToLowerInvariant()}), à réexaminer le {deferred.ReviewOn:dd/MM/yyyy}"));
                    break;
                case SituationClosed c:
                    history.Add(new FileEntry(c.At, "cloture", NameOf(c.ClosedBy),
                        Text: c.Comment is null ? null : cipher.Open(SealedFields.ClosureComment, c.Comment), Outcome: c.Outcome));
                    break;
            }
        }
        return new NominativeSituationFile(AnonymisedSituation.Of(situation), groupName, signalledBy, persons, facts, history, notice,
            corrections, addedFacts);
    }

    /// <summary>One rectifiable field of an identity, as shown.</summary>
    private static string? ValueOf(PersonIdentity identity, string field) => field switch
    {
        IdentityFields.Nom => identity.Nom,
        IdentityFields.Prenom => identity.Prenom,
        IdentityFields.DateNaissance => identity.DateNaissance.ToString("dd/MM/yyyy"),
        IdentityFields.Adresse => identity.Adresse,
        _ => null,
    };

    /// <summary>Every member named in the stream, to show who did what.</summary>
    public static IEnumerable<Guid> MembersNamedIn(IEnumerable<IEvent> events) => events.SelectMany(e => e.Data switch
    {
        SituationReferred r => [r.SignalledBy],
        SituationPlacedOnAgenda p => [p.PlacedBy],
        SituationPostponed p => [p.PostponedBy],
        SituationExamined x => [x.RecordedBy],
        FollowUpAssigned f => [f.AssignedBy, f.ReferentId],
        FollowUpRecorded f => [f.RecordedBy],
        SituationTransferred t => [t.TransferredBy],
        SituationImported i => [i.ImportedBy],
        SituationClosed c => [c.ClosedBy],
        PersonAddedToSituation a => [a.AddedBy],
        IdentityCorrected c => [c.CorrectedBy],
        FactAddedToSituation f => [f.AddedBy],
        Notices.PersonInformed n => [n.InformedBy],
        Notices.InformationDeferred d => [d.DeferredBy],
        _ => Array.Empty<Guid>(),
    }).Distinct();
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using JasperFx.Events;
using Marten;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>
/// A council two years into its life, for the bulk figures: members, groups, séances of 40 situations each (scheduled,
/// attended, closed), and situations referred, placed on an ODJ, examined, followed up and some closed, every nominative
/// value sealed with the situation's own key (wrapped by the service's key ring). Half the situations are referred in
/// the year before last (the statistics period), half last year. Appended with Marten's bulk COPY of events, so that
/// no projection document exists until the rebuild builds them.
/// </summary>
public sealed class BulkData
{
    public const string Council = "masse";
    public const int SituationsPerSeance = 40;

    public required int EventCount { get; init; }
    public required IReadOnlyList<Guid> Situations { get; init; }
    public required IReadOnlyList<string> Pseudonyms { get; init; }
    public required IReadOnlyList<Guid> Seances { get; init; }
    public required IReadOnlyList<(Guid Id, string Subject)> Members { get; init; }
    /// <summary>A member with the council's auditeur role (journal, checkpoints, verification), outside <see cref="Members"/>.</summary>
    public required (Guid Id, string Subject) Auditor { get; init; }
    /// <summary>For each situation, a member of its holding group (who may open its file).</summary>
    public required IReadOnlyList<string> Openers { get; init; }
    /// <summary>For each situation, the day it was referred (the followed person's identity derives from it: <see cref="Followed"/>).</summary>
    public required IReadOnlyList<DateOnly> ReferredOn { get; init; }
    public required IReadOnlyList<string> EventDocuments { get; init; }
    public required DateOnly StatisticsFrom { get; init; }
    public required DateOnly StatisticsTo { get; init; }
    public required int SituationsInStatisticsPeriod { get; init; }
    public required TimeSpan AppendTime { get; init; }

    /// <param name="index">When given, the persons of every situation are indexed as a referral indexes them (right of access).</param>
    /// <param name="streamed">Appends each batch of 2,000 situations as soon as it is built and keeps no event document in
    /// memory (the growth figures' large councils); otherwise one bulk append at the end, timed, and the documents kept for COPY.</param>
    /// <summary>The followed person of situation <paramref name="i"/> (NOMINATIVE test data, as sealed and indexed).</summary>
    public PersonIdentity Followed(int i) => Service.Referrals.Followed($"{i}", ReferredOn[i]).ToIdentity();

    public static async Task<BulkData> GenerateAsync(IDocumentStore store, CharterPolicy policy, SituationKeys keys, DateTimeOffset now,
        int? totalEvents, int situationCount, IdentityIndex? index = null, bool streamed = false)
    {
        var yearA = now.Year - 2;
        var yearB = now.Year - 1;
        var half = situationCount / 2;
        DateTimeOffset ReferredAt(int i) => i < half
            ? new DateTimeOffset(yearA, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(Math.Floor(i * 364.0 / half))
            : new DateTimeOffset(yearB, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(Math.Floor((i - half) * 300.0 / half));
        var founded = new DateTimeOffset(yearA - 1, 11, 2, 9, 0, 0, TimeSpan.Zero);

        var streams = new List<StreamAction>();
        void Stream<T>(Guid id, params object[] events)
        {
            var action = StreamAction.Start(((DocumentStore)store).Events, id, events);
            action.AggregateType = typeof(T);
            streams.Add(action);
        }

        Stream<Council>(CaseExchange.Councils.Council.StreamId,
            new CouncilEstablished(Council, "CLSPD de mesure (masse)", [new Sector("nord", "Quartier nord"), new Sector("sud", "Quartier sud")], founded),
            new CharterVersionAdopted(policy.Version, policy.Fingerprint, null, founded));

        var coordinator = (Id: Guid.CreateVersion7(founded), Subject: $"{Council}.coordonnateur");
        var members = new List<(Guid Id, string Subject)> { coordinator };
        members.AddRange(Enumerable.Range(0, 8).Select(i => (Guid.CreateVersion7(founded), $"{Council}.membre-{i}")));
        string[] organisations = ["Mairie", "Éducation nationale", "Police municipale", "Bailleur social", "CCAS", "Prévention spécialisée", "Mission locale", "Gendarmerie", "Département"];
        for (var i = 0; i < members.Count; i++)
            Stream<Member>(members[i].Id,
                new MemberRegistered(members[i].Id, members[i].Subject, $"Membre {i}", organisations[i], "Fonction", i == 0 ? [Roles.Coordonnateur] : [], i == 0 ? null : coordinator.Id, founded),
                new CharterSigned(members[i].Id, policy.Version, policy.Fingerprint, founded));

        var auditor = (Id: Guid.CreateVersion7(founded), Subject: $"{Council}.auditeur");
        Stream<Member>(auditor.Id,
            new MemberRegistered(auditor.Id, auditor.Subject, "Auditrice", "Mairie", "Déléguée à la protection des données", [Roles.Auditeur], coordinator.Id, founded),
            new CharterSigned(auditor.Id, policy.Version, policy.Fingerprint, founded));
        var subjectOf = members.ToDictionary(m => m.Id, m => m.Subject);

        var groups = new List<(Guid Id, List<Guid> Members)>();
        for (var g = 0; g < 10; g++)
        {
            var id = Guid.CreateVersion7(founded);
            var inGroup = Enumerable.Range(0, 5).Select(j => members[1 + (g + j) % 8].Id).ToList();
            Stream<Group>(id, [new GroupCreated(id, $"GT {g + 1}", GroupKinds.Thematique, null, coordinator.Id, founded),
                .. inGroup.Select((m, j) => (object)new MemberJoinedGroup(id, m, j == 0 ? Roles.Animateur : Roles.Membre, coordinator.Id, founded))]);
            groups.Add((id, inGroup));
        }

        var seanceCount = situationCount / SituationsPerSeance;
        var seances = new List<(Guid Id, DateTimeOffset Date, int Group)>();
        for (var k = 0; k < seanceCount; k++)
        {
            var date = new DateTimeOffset(ReferredAt(k * SituationsPerSeance + SituationsPerSeance - 1).UtcDateTime.Date.AddDays(14).AddHours(14), TimeSpan.Zero);
            var id = Guid.CreateVersion7(date);
            var group = groups[k % groups.Count];
            Stream<Seance>(id,
                new SeanceScheduled(id, group.Id, date, coordinator.Id, date.AddDays(-21)),
                new AttendanceRecorded(id, group.Members, [coordinator.Id], [new Guest("Mission locale", "Conseillère")], coordinator.Id, date),
                new SeanceClosed(id, coordinator.Id, date.AddHours(3)));
            seances.Add((id, date, k % groups.Count));
        }

        var fixedEvents = streams.Sum(s => s.Events.Count);
        // Without a total, every situation gets its fifth event (a closure or a follow-up recorded).
        var fifthEvents = totalEvents is { } total ? total - fixedEvents - 4 * situationCount : situationCount;
        if (fifthEvents < 0 || fifthEvents > situationCount)
            throw new InvalidOperationException($"{totalEvents} events cannot be made of {situationCount} situations.");

        var situations = new Guid[situationCount];
        var pseudonyms = new string[situationCount];
        var openers = new string[situationCount];
        var referredOn = new DateOnly[situationCount];
        var appendTime = TimeSpan.Zero;
        var eventCount = 0;
        var serializer = store.Options.Serializer();
        var documents = new List<string>();
        async Task AppendAsync()
        {
            eventCount += streams.Sum(s => s.Events.Count);
            if (!streamed) documents.AddRange(streams.SelectMany(s => s.Events).Select(e => serializer.ToJson(e.Data)));
            appendTime += await Measurement.Timing.OnceAsync(() => store.BulkInsertEventsAsync(Council, streams, batchSize: 5000));
            streams.Clear();
        }
        if (streamed) await AppendAsync();
        string[] reasons = ["decrochage-scolaire", "errance", "conduites-addictives", "troubles-voisinage", "soutien-parentalite", "violences-intrafamiliales"];
        string[] decisions = ["orientation", "suivi-renforce", "reexamen"];
        string[] actions = ["contact-famille", "orientation-dispositif", "accompagnement-scolaire", "mediation"];
        string[] outcomes = ["situation-stabilisee", "relais-dispositif", "demenagement"];
        const int keyBatch = 2000;
        for (var start = 0; start < situationCount; start += keyBatch)
        {
            // The keys through the service's own code: generated, wrapped by the key ring, stored as documents.
            await using var session = store.LightweightSession(Council);
            for (var i = start; i < Math.Min(situationCount, start + keyBatch); i++)
            {
                var referredAt = ReferredAt(i);
                var seance = seances[i / SituationsPerSeance];
                var group = groups[seance.Group];
                var id = situations[i] = Guid.CreateVersion7(referredAt);
                pseudonyms[i] = $"S-{referredAt.Year}-{i + 1:D4}";
                var cipher = keys.CreateFor(session, id, referredAt);
                var signaller = group.Members[i % group.Members.Count];
                var referent = group.Members[(i + 1) % group.Members.Count];
                openers[i] = subjectOf[referent];
                var today = referredOn[i] = DateOnly.FromDateTime(referredAt.UtcDateTime);
                var followed = Service.Referrals.Followed($"{i}", today).ToIdentity();
                var parent = followed with { Prenom = "Nadia", DateNaissance = today.AddYears(-41), Courriel = null, SituationScolaireOuProfessionnelle = "Aide-soignante", RepresentantsLegaux = null };
                var actionId = Guid.CreateVersion7(seance.Date);
                List<object> events =
                [
                    new SituationReferred(id, pseudonyms[i], group.Id, [reasons[i % reasons.Length], reasons[(i / 7 + 1) % reasons.Length]], i % 2 == 0 ? "nord" : "sud",
                        i % 5 == 0 ? "urgente" : "normale", signaller, "Éducation nationale",
                        [new SealedPerson(Guid.CreateVersion7(referredAt), PersonRoles.Followed, policy.AgeBandOf(followed.DateNaissance, today), cipher.SealJson(SealedFields.PersonIdentity, followed)),
                         new SealedPerson(Guid.CreateVersion7(referredAt), "representant-legal", policy.AgeBandOf(parent.DateNaissance, today), cipher.SealJson(SealedFields.PersonIdentity, parent))],
                        cipher.Seal(SealedFields.Facts, Service.Referrals.Facts), referredAt),
                    new SituationPlacedOnAgenda(id, seance.Id, seance.Date, coordinator.Id, referredAt.AddDays(1)),
                    new SituationExamined(id, seance.Id, cipher.Seal(SealedFields.DiscussionSummary, "Échanges entre partenaires : le collège confirme les absences, la famille accepte un rendez-vous."),
                        [new Decision(decisions[i % decisions.Length], cipher.Seal(SealedFields.DecisionDetail, "Proposition d'accompagnement éducatif renforcé pendant trois mois."))],
                        coordinator.Id, seance.Date),
                    new FollowUpAssigned(id, referent, [new PlannedAction(actionId, actions[i % actions.Length], "CCAS", "Travailleur social",
                        DateOnly.FromDateTime(seance.Date.UtcDateTime).AddDays(30), cipher.Seal(SealedFields.ActionDescription, "Rencontrer la famille à domicile et proposer le dispositif."))],
                        coordinator.Id, seance.Date.AddHours(1)),
                ];
                if (i < fifthEvents)
                    events.Add(i % 3 == 0
                        ? new SituationClosed(id, outcomes[i % outcomes.Length], cipher.Seal(SealedFields.ClosureComment, "Situation apaisée, relais pris par le dispositif."), coordinator.Id, seance.Date.AddDays(30))
                        : new FollowUpRecorded(id, actionId, "realisee", cipher.Seal(SealedFields.FollowUpNote, "Rendez-vous tenu, la famille adhère à l'accompagnement."), referent, seance.Date.AddDays(20)));
                Stream<Situation>(id, [.. events]);
                if (index is not null)
                    await index.IndexAsync(session, id, [new PersonToIndex(((SituationReferred)events[0]).Persons[0].PersonId, PersonRoles.Followed, followed),
                        new PersonToIndex(((SituationReferred)events[0]).Persons[1].PersonId, "representant-legal", parent)]);
            }
            await session.SaveChangesAsync();
            if (streamed) await AppendAsync();
        }

        if (!streamed) await AppendAsync();
        return new BulkData
        {
            EventCount = eventCount,
            Situations = situations,
            Pseudonyms = pseudonyms,
            Seances = [.. seances.Select(s => s.Id)],
            Members = members,
            Auditor = auditor,
            Openers = openers,
            ReferredOn = referredOn,
            EventDocuments = documents,
            StatisticsFrom = new DateOnly(yearA, 1, 1),
            StatisticsTo = new DateOnly(yearA, 12, 31),
            SituationsInStatisticsPeriod = half,
            AppendTime = appendTime,
        };
    }
}

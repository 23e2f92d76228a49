using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Correction;
using CaseExchange.Situations.Referral;
using CaseExchange.Tests.Infrastructure;
using Npgsql;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>Rectification and additions (RGPD, art. 16): the pure checks, decisions and the fold of the persons as they stand.</summary>
public sealed class CorrectionTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static T OpenJson<T>(SituationHistory history, string field, SealedText text) =>
        JsonSerializer.Deserialize<T>(history.Open(field, text), Web)!;

    private static Guid PersonOf(SituationHistory history) => history.Situation.Notices[0].PersonId;

    private static readonly PersonInClear Added = new(PersonRoles.Followed, " Dupontel ", "Arsène", "M", new DateOnly(2012, 5, 4), "3 rue Fictive",
        null, null, null, null);

    [Fact]
    public void Check_of_a_correction_wants_a_person_of_the_situation_and_at_least_one_plausible_value()
    {
        var history = Referred();
        var person = PersonOf(history);
        Assert.Empty(ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(person, "Martin", null, null, null, 1), history.Situation, Today)));
        Assert.Empty(ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(person, null, null, new DateOnly(2010, 1, 2), null, 1), history.Situation, Today)));

        var unknown = ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(Guid.NewGuid(), "Martin", null, null, null, 1), history.Situation, Today));
        Assert.Equal(["Choisissez une personne concernée par cette situation."], unknown["personId"]);
        var nothing = ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(person, " ", "", null, null, 1), history.Situation, Today));
        Assert.StartsWith("Indiquez au moins une valeur à rectifier", Assert.Single(nothing["nom"]));
        var future = ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(person, null, null, Today.AddDays(1), null, 1), history.Situation, Today));
        Assert.Equal(["La date de naissance ne peut pas être dans le futur."], future["dateNaissance"]);
        var tooLong = ErrorsOf(CorrectIdentityUseCase.Check(new CorrectIdentity(person, new string('x', 101), null, null, null, 1), history.Situation, Today));
        Assert.True(tooLong.ContainsKey("nom"));
    }

    [Fact]
    public void Decide_seals_the_new_values_only_names_the_fields_and_moves_the_age_band_with_the_birth_date()
    {
        var history = Referred();
        var person = history.Situation.Notices[0];
        var sealedPerson = new SealedPerson(person.PersonId, person.Role, "16-17", new SealedText("v1:AAAA"));
        var born = DateOnly.FromDateTime(history.Situation.ReferredAt.UtcDateTime).AddYears(-8);
        var correction = new CorrectIdentity(person.PersonId, " Martin ", null, born, null, 1).Correction();

        var corrected = CorrectIdentityUseCase.Decide(history.Situation, sealedPerson, correction, history.Sealer, Policy, history.ActorId, Now);

        Assert.Equal((history.Id, person.PersonId, history.ActorId, Now), (corrected.SituationId, corrected.PersonId, corrected.CorrectedBy, corrected.At));
        Assert.Equal([IdentityFields.Nom, IdentityFields.DateNaissance], corrected.Fields);
        Assert.Equal(new IdentityCorrection("Martin", null, born, null), OpenJson<IdentityCorrection>(history, SealedFields.IdentityCorrection, corrected.Correction));
        Assert.DoesNotContain("Martin", corrected.Correction.Value);
        Assert.Equal(Policy.AgeBandOf(born, DateOnly.FromDateTime(history.Situation.ReferredAt.UtcDateTime)), corrected.AgeBand);
        Assert.NotEqual("16-17", corrected.AgeBand);

        history.Situation.Apply(corrected);
        Assert.Equal([corrected.AgeBand], history.Situation.AgeBands);
        Assert.Equal(1, history.Situation.CorrectionCount);
    }

    [Fact]
    public void An_archived_situation_can_still_be_rectified_an_erased_one_cannot()
    {
        var closed = Referred().Examined(Guid.NewGuid()).Closed();
        var person = new SealedPerson(PersonOf(closed), PersonRoles.Followed, "16-17", new SealedText("v1:AAAA"));
        var correction = new IdentityCorrection(null, "Léa", null, null);
        Assert.Equal("16-17", CorrectIdentityUseCase.Decide(closed.Situation, person, correction, closed.Sealer, Policy, closed.ActorId, Now).AgeBand);

        var erased = Referred().Erased();
        Assert.Contains("effacées", OutOfOrder(() => CorrectIdentityUseCase.Decide(erased.Situation, person, correction, erased.Sealer, Policy, erased.ActorId, Now)));
    }

    [Fact]
    public void Adding_a_person_checks_the_fields_of_a_referral_seals_the_identity_and_counts_the_person()
    {
        var history = Referred();
        Assert.Empty(ErrorsOf(AddPersonUseCase.Check(new AddPerson(Added, 1), Policy, Today)));
        var wrong = ErrorsOf(AddPersonUseCase.Check(new AddPerson(Added with { Role = "voisin", Nom = " " }, 1), Policy, Today));
        Assert.True(wrong.ContainsKey("person.role") && wrong.ContainsKey("person.nom"));
        Assert.Equal(["Indiquez la personne concernée à ajouter."], ErrorsOf(AddPersonUseCase.Check(new AddPerson(null, 1), Policy, Today))["person"]);

        var added = AddPersonUseCase.Decide(history.Situation, new AddPerson(Added, 1), history.Sealer, Policy, history.ActorId, Now);
        Assert.Equal(Policy.AgeBandOf(Added.DateNaissance!.Value, Today), added.Person.AgeBand);
        Assert.Equal("Dupontel", OpenJson<PersonIdentity>(history, SealedFields.PersonIdentity, added.Person.Identity).Nom);
        Assert.DoesNotContain("Dupontel", added.Person.Identity.Value);

        history.Situation.Apply(added);
        Assert.Equal(2, history.Situation.PersonRoles.Count);
        Assert.Equal(2, history.Situation.AgeBands.Count);
        Assert.Equal(added.Person.PersonId, history.Situation.Notices[1].PersonId);
    }

    [Fact]
    public void Nothing_is_added_to_a_closed_situation_nor_a_thirteenth_person()
    {
        var closed = Referred().Examined(Guid.NewGuid()).Closed();
        Assert.Contains("clôturée", OutOfOrder(() => AddPersonUseCase.Decide(closed.Situation, new AddPerson(Added, 4), closed.Sealer, Policy, closed.ActorId, Now)));
        Assert.Contains("clôturée", OutOfOrder(() => AddFactUseCase.Decide(closed.Situation, new AddFact(Today, "Un fait", 4), closed.Sealer, closed.ActorId, Now)));

        var full = Referred();
        for (var i = 1; i < ReferSituationUseCase.MaxPersons; i++)
            full.Situation.Apply(AddPersonUseCase.Decide(full.Situation, new AddPerson(Added, i), full.Sealer, Policy, full.ActorId, Now));
        Assert.Equal($"Une situation concerne au plus {ReferSituationUseCase.MaxPersons} personnes.",
            OutOfOrder(() => AddPersonUseCase.Decide(full.Situation, new AddPerson(Added, 12), full.Sealer, Policy, full.ActorId, Now)));
    }

    [Fact]
    public void Adding_a_fact_wants_a_past_date_and_a_text_and_seals_both()
    {
        var history = Referred();
        Assert.Empty(ErrorsOf(AddFactUseCase.Check(new AddFact(Today, "Absent depuis lundi", 1), Today)));
        var errors = ErrorsOf(AddFactUseCase.Check(new AddFact(Today.AddDays(1), "  ", 1), Today));
        Assert.Equal(["La date du fait ne peut pas être dans le futur."], errors["on"]);
        Assert.True(errors.ContainsKey("text"));
        Assert.Equal(["La date du fait est obligatoire."], ErrorsOf(AddFactUseCase.Check(new AddFact(null, "Fait", 1), Today))["on"]);

        var added = AddFactUseCase.Decide(history.Situation, new AddFact(Today.AddDays(-3), " Absent depuis lundi ", 1), history.Sealer, history.ActorId, Now);
        Assert.Equal(new DatedFact(Today.AddDays(-3), "Absent depuis lundi"), OpenJson<DatedFact>(history, SealedFields.AddedFact, added.Fact));
        history.Situation.Apply(added);
        Assert.Equal((1, Now), (history.Situation.AddedFactCount, history.Situation.LastFactAddedAt!.Value));
    }

    [Fact]
    public void The_persons_as_they_stand_fold_the_referral_the_additions_and_every_rectification_in_order()
    {
        var history = new SituationHistory();
        var first = new PersonIdentity("Durand", "Léa", "F", new DateOnly(2010, 1, 1), "1 rue A", null, null, null, null);
        var referred = new SituationReferred(history.Id, "S-2026-0001", history.GroupId, ["errance"], "nord", "normale", history.ActorId, "Mairie",
            [new SealedPerson(Guid.NewGuid(), PersonRoles.Followed, "16-17", history.Sealer.SealJson(SealedFields.PersonIdentity, first))],
            history.Sealer.Seal(SealedFields.Facts, "Faits"), Now.AddDays(-10));
        history.Situation.Apply(referred);
        var added = AddPersonUseCase.Decide(history.Situation, new AddPerson(Added, 1), history.Sealer, Policy, history.ActorId, Now.AddDays(-5));
        var person = referred.Persons[0];
        var once = CorrectIdentityUseCase.Decide(history.Situation, person, new IdentityCorrection("Durant", null, null, null), history.Sealer, Policy, history.ActorId, Now.AddDays(-2));
        var twice = CorrectIdentityUseCase.Decide(history.Situation, person, new IdentityCorrection(null, null, null, "2 rue B"), history.Sealer, Policy, history.ActorId, Now);

        var persons = CurrentPersons.Of([referred, added, once, twice],
            s => OpenJson<PersonIdentity>(history, SealedFields.PersonIdentity, s),
            s => OpenJson<IdentityCorrection>(history, SealedFields.IdentityCorrection, s));

        Assert.Equal(2, persons.Count);
        Assert.Equal(first with { Nom = "Durant", Adresse = "2 rue B" }, persons[0].Identity);
        Assert.Equal("Dupontel", persons[1].Identity.Nom);
    }
}

public sealed class CorrectionHttpFixture : CouncilFixture;

/// <summary>Through HTTP: who may, 400/403/409 with nothing written, ciphertext only in mt_events, the index and the file follow.</summary>
public sealed class CorrectionHttpTests(CorrectionHttpFixture fixture) : IClassFixture<CorrectionHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private async Task<(Guid Id, string Pseudonym, TestPerson Person, Guid PersonId)> ReferredAsync()
    {
        var person = TestPerson.Distinctive($"Rc{Guid.NewGuid():N}"[..10]);
        var (id, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");
        return (id, pseudonym, person, await Service.FirstPersonAsync(Council, id));
    }

    private async Task<string> StoredEventsAsync(Guid situationId)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select string_agg(data::text, ' ') from caseexchange.mt_events where stream_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = situationId });
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<JsonElement> DuplicatesAsync(string nom, string prenom, DateOnly born) =>
        await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/duplicate-checks", new { nom, prenom, dateNaissance = born });

    private Task<JsonElement> OpenAsync(Guid id) =>
        Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{id}/file-openings", new { purpose = "mise-a-jour" });

    [Fact]
    public async Task A_correction_refused_writes_nothing_400_without_a_value_403_for_the_animateur_409_when_stale()
    {
        var (id, _, _, personId) = await ReferredAsync();
        var url = $"{Council.Api}/situations/{id}/identity-corrections";
        var before = await Service.NonJournalEventCountAsync();

        var empty = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { personId, nom = " ", expectedVersion = 1 }), 400);
        Assert.True(empty.GetProperty("errors").TryGetProperty("nom", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { personId, nom = "Autrenom", expectedVersion = 1 }), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, url, new { personId, nom = "Autrenom", expectedVersion = 1 }), 403);
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { personId, nom = "Autrenom", expectedVersion = 0 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());

        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_corrected_identity_is_found_under_its_new_values_only_stored_sealed_and_shown_with_its_history_in_the_file()
    {
        var (id, pseudonym, person, personId) = await ReferredAsync();
        var (newNom, newPrenom, newBorn) = ($"Rectifienom{Guid.NewGuid():N}"[..20], $"Rectifieprenom{Guid.NewGuid():N}"[..20], person.DateNaissance.AddDays(-3));
        var changed = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/identity-corrections",
            new { personId, nom = newNom, prenom = newPrenom, dateNaissance = newBorn, expectedVersion = 1 });
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
        Assert.DoesNotContain(newNom, changed.GetRawText());

        // Computing the new index terms decrypted the person server-side: journalled as a check, with who caused it.
        var check = Assert.Single((await CaseExchange.Tests.Journal.JournalTestSupport.JournalAsync(Service, Council.Code, id)),
            e => e.Action == CaseExchange.Journal.JournalActions.ServerCheck);
        Assert.Equal((CaseExchange.Journal.JournalActions.Checks.IdentityCorrection, Council.Coordonnateur, true), (check.Purpose, check.Subject, check.Granted));

        // No identity value, old or new, in the stored events.
        var stored = await StoredEventsAsync(id);
        foreach (var value in person.Leakables().Concat([newNom, newPrenom, newBorn.ToString("yyyy-MM-dd"), newBorn.ToString("dd/MM/yyyy")]))
            Assert.DoesNotContain(value, stored, StringComparison.OrdinalIgnoreCase);

        // The index follows: found under the new values, no longer under the old ones.
        var found = await DuplicatesAsync(newNom, newPrenom, newBorn);
        Assert.Equal(pseudonym, Assert.Single(found.GetProperty("inMyGroups").EnumerateArray()).GetProperty("pseudonym").GetString());
        Assert.Empty((await DuplicatesAsync(person.Nom, person.Prenom, person.DateNaissance)).GetProperty("inMyGroups").EnumerateArray());
        var search = await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/searches",
            new { nom = newNom, prenom = newPrenom, purpose = "mise-a-jour" });
        Assert.Contains(pseudonym, search.GetRawText());

        // The file shows the values in force and the history of the rectification (old and new, when, by whom).
        var file = await OpenAsync(id);
        var identity = file.GetProperty("persons")[0].GetProperty("identity");
        Assert.Equal((newNom, newPrenom, newBorn.ToString("yyyy-MM-dd")),
            (identity.GetProperty("nom").GetString(), identity.GetProperty("prenom").GetString(), identity.GetProperty("dateNaissance").GetString()));
        Assert.Equal(person.Adresse, identity.GetProperty("adresse").GetString());
        var correction = Assert.Single(file.GetProperty("corrections").EnumerateArray());
        Assert.Equal("correction-identite", correction.GetProperty("kind").GetString());
        Assert.StartsWith("Coordonnatrice Test", correction.GetProperty("by").GetString());
        var changes = correction.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["Nom", "Prénom", "Date de naissance"], changes.Select(c => c.GetProperty("field").GetString()));
        Assert.Equal((person.Nom, newNom), (changes[0].GetProperty("before").GetString(), changes[0].GetProperty("after").GetString()));
        Assert.Contains(file.GetProperty("history").EnumerateArray(), e => e.GetProperty("kind").GetString() == "correction-identite");
    }

    [Fact]
    public async Task Adding_a_person_is_for_the_holding_group_indexes_the_person_and_shows_them_in_the_file()
    {
        var (id, pseudonym, _, _) = await ReferredAsync();
        var url = $"{Council.Api}/situations/{id}/persons";
        var added = TestPerson.Distinctive($"Ad{Guid.NewGuid():N}"[..10]);
        var before = await Service.NonJournalEventCountAsync();
        var invalid = await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, url,
            new { person = new { role = "voisin", nom = added.Nom }, expectedVersion = 1 }), 400);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("person.role", out _));
        Assert.DoesNotContain(added.Nom, invalid.GetRawText());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { person = added.AsRequest(PersonRoles.Followed), expectedVersion = 1 }), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfOtherGroup, url, new { person = added.AsRequest(PersonRoles.Followed), expectedVersion = 1 }), 403);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        var changed = await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, url, new { person = added.AsRequest("membre-famille"), expectedVersion = 1 });
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
        var stored = await StoredEventsAsync(id);
        foreach (var value in added.Leakables()) Assert.DoesNotContain(value, stored, StringComparison.OrdinalIgnoreCase);

        var found = await DuplicatesAsync(added.Nom, added.Prenom, added.DateNaissance);
        Assert.Equal(pseudonym, Assert.Single(found.GetProperty("inMyGroups").EnumerateArray()).GetProperty("pseudonym").GetString());
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
        Assert.Equal(2, view.GetProperty("personCount").GetInt32());

        var file = await OpenAsync(id);
        Assert.Equal(added.Nom, file.GetProperty("persons")[1].GetProperty("identity").GetProperty("nom").GetString());
        Assert.Equal("personne-ajoutee", Assert.Single(file.GetProperty("corrections").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_dated_fact_is_added_sealed_and_read_in_the_file_a_future_date_writes_nothing()
    {
        var (id, _, _, _) = await ReferredAsync();
        var url = $"{Council.Api}/situations/{id}/facts";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var before = await Service.NonJournalEventCountAsync();
        var future = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { on = today.AddDays(2), text = "Fait futur", expectedVersion = 1 }), 400);
        Assert.True(future.GetProperty("errors").TryGetProperty("on", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Auditeur, url, new { on = today, text = "Fait", expectedVersion = 1 }), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { on = today, text = "Fait", expectedVersion = 3 }), 409);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        var text = $"Absence remarquée {Guid.NewGuid():N}";
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, url, new { on = today.AddDays(-2), text, expectedVersion = 1 });
        Assert.DoesNotContain(text, await StoredEventsAsync(id));

        var file = await OpenAsync(id);
        var fact = Assert.Single(file.GetProperty("addedFacts").EnumerateArray());
        Assert.Equal((text, today.AddDays(-2).ToString("yyyy-MM-dd")), (fact.GetProperty("text").GetString(), fact.GetProperty("on").GetString()));
        Assert.Contains(file.GetProperty("history").EnumerateArray(), e => e.GetProperty("kind").GetString() == "fait-ajoute");
    }
    [Fact]
    public async Task The_right_of_access_finds_an_added_person_and_a_rectified_one_under_the_values_in_force()
    {
        var (id, pseudonym, person, personId) = await ReferredAsync();
        var added = TestPerson.Distinctive($"Da{Guid.NewGuid():N}"[..10]);
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/persons",
            new { person = added.AsRequest("membre-famille"), expectedVersion = 1 });
        var newNom = $"Rectifacces{Guid.NewGuid():N}"[..20];
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/identity-corrections",
            new { personId, nom = newNom, expectedVersion = 2 });

        var forAdded = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = added.Nom, prenom = added.Prenom, dateNaissance = added.DateNaissance });
        var held = Assert.Single(forAdded.GetProperty("situations").EnumerateArray());
        Assert.Equal(pseudonym, held.GetProperty("pseudonym").GetString());
        Assert.Equal(1, held.GetProperty("otherPersonsConcerned").GetInt32());

        var forRectified = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = newNom, prenom = person.Prenom, dateNaissance = person.DateNaissance });
        var rectified = Assert.Single(forRectified.GetProperty("situations").EnumerateArray());
        Assert.Equal(newNom, rectified.GetProperty("identityAsRecorded").GetProperty("nom").GetString());
        var step = Assert.Single(rectified.GetProperty("steps").EnumerateArray(), x => x.GetProperty("label").GetString()!.StartsWith("Rectification de l'identité"));
        Assert.Equal(["Nom"], step.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        var forOld = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance });
        Assert.Equal(0, forOld.GetProperty("situations").GetArrayLength());
    }
}

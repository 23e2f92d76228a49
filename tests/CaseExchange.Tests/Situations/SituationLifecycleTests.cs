using System.Text.Json;
using CaseExchange.Http;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Situations;

public sealed class LifecycleFixture : CouncilFixture;

public sealed class SituationLifecycleTests(LifecycleFixture fixture) : IClassFixture<LifecycleFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private string Api => Council.Api;

    [Fact]
    public async Task A_situation_goes_from_referral_to_closure_and_the_full_file_tells_its_whole_story()
    {
        var person = TestPerson.Distinctive("Cycle");
        var (id, pseudonym) = await Council.ReferAsync(Service, person, "Faits distinctifs Cycle");
        Assert.Matches(@"^S-\d{4}-\d{4}$", pseudonym);

        var seance = await fixture.Steps.NewSeanceAsync();
        var v2 = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 });
        Assert.Equal(2, v2.GetProperty("version").GetInt64());
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/examinations", new
        {
            seanceId = seance, discussionSummary = "Résumé Cycle", expectedVersion = 2,
            decisions = new[] { new { kind = "suivi-renforce", detail = "Détail Cycle" } },
        });
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/follow-up", new
        {
            referentId = Council.Id(Council.Referent), expectedVersion = 3,
            actions = new[] { new { kind = "contact-famille", ownerPartnerId = await Council.PartnerAsync(Service),
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)), description = "Appeler la famille Cycle" } },
        });
        var view = await Service.GetJsonAsync<JsonElement>(Council.Referent, $"{Api}/situations/{id}");
        Assert.Equal("en-suivi", view.GetProperty("status").GetString());
        var action = view.GetProperty("actions")[0].GetProperty("actionId").GetGuid();
        await Service.PostJsonAsync<JsonElement>(Council.Referent, $"{Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "realisee", note = "Famille rencontrée Cycle", expectedVersion = 4 });
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Relève du secteur sud Cycle", expectedVersion = 5 });
        var afterTransfer = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Api}/situations/{id}");
        Assert.Equal(Council.GroupB, afterTransfer.GetProperty("groupId").GetGuid());
        var closed = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Api}/situations/{id}/closure",
            new { outcome = "relais-dispositif", comment = "Clôture Cycle", expectedVersion = 6 });
        Assert.Equal(7, closed.GetProperty("version").GetInt64());

        // Group B's member now holds it; after closure the file opens only with a written reason.
        var refused = await Service.PostAsync(Council.MemberOfOtherGroup, $"{Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        var problem = await Answers.ProblemAsync(refused, 403);
        Assert.Contains("motif-archive-requis", problem.GetProperty("type").GetString());
        var file = await Service.PostJsonAsync<JsonElement>(Council.MemberOfOtherGroup, $"{Api}/situations/{id}/file-openings", new
        {
            purpose = "suivi", archiveReason = new { code = "droits-personne", detail = "Demande d'accès de la personne, courrier du 2 mars" },
        });
        var text = file.GetRawText();
        Assert.Contains(person.Nom, text);
        Assert.Contains("Faits distinctifs Cycle", text);
        foreach (var expected in new[] { "Résumé Cycle", "Détail Cycle", "Appeler la famille Cycle", "Famille rencontrée Cycle", "Relève du secteur sud Cycle", "Clôture Cycle" })
            Assert.Contains(expected, text);
        Assert.Equal(7, file.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task The_anonymised_view_holds_no_identity_field_and_no_free_text()
    {
        var person = TestPerson.Distinctive("Anonyme");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits secrets Anonyme");
        // Need to know: another group's member does not even get the anonymised row.
        await Answers.ProblemAsync(await Service.GetAsync(Council.MemberOfOtherGroup, $"{Api}/situations/{id}"), 404);
        foreach (var subject in new[] { Council.MemberOfHoldingGroup, Council.Auditeur, Council.Coordonnateur })
        {
            var single = await (await Service.GetAsync(subject, $"{Api}/situations/{id}")).Content.ReadAsStringAsync();
            var list = await (await Service.GetAsync(subject, $"{Api}/situations?pageSize=200")).Content.ReadAsStringAsync();
            foreach (var leak in person.Leakables().Append("Faits secrets Anonyme"))
            {
                Assert.DoesNotContain(leak, single);
                Assert.DoesNotContain(leak, list);
            }
            Assert.Contains("16-17", single);
        }
    }

    [Fact]
    public async Task Examining_a_situation_that_is_not_on_the_agenda_is_refused_and_changes_nothing()
    {
        var id = await fixture.Steps.ReferredAsync();
        var seance = await fixture.Steps.NewSeanceAsync();
        var before = await Service.EventCountAsync();
        var response = await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/examinations", new
        {
            seanceId = seance, discussionSummary = "Trop tôt", expectedVersion = 1, decisions = new[] { new { kind = "orientation" } },
        });
        var problem = await Answers.ProblemAsync(response, 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Contains("ordre du jour", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Theory]
    [InlineData("follow-up")]
    [InlineData("closure")]
    public async Task Follow_up_and_closure_before_any_examination_are_refused(string step)
    {
        var id = await fixture.Steps.ReferredAsync();
        var partner = await Council.PartnerAsync(Service);
        object body = step == "closure"
            ? new { outcome = "sans-objet", expectedVersion = 1 }
            : new
            {
                referentId = Council.Id(Council.Referent), expectedVersion = 1,
                actions = new[] { new { kind = "mediation", ownerPartnerId = partner, dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(9)), description = "C" } },
            };
        var before = await Service.NonJournalEventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/{step}", body), 409);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task Nothing_happens_to_a_closed_situation_any_more()
    {
        var id = await fixture.Steps.ClosedAsync();
        var seance = await fixture.Steps.NewSeanceAsync();
        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 4 }), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Trop tard", expectedVersion = 4 }), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/closure",
            new { outcome = "sans-objet", expectedVersion = 4 }), 409);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_referral_with_errors_gets_French_messages_per_field_that_never_repeat_the_values()
    {
        var before = await Service.EventCountAsync();
        var response = await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Api}/situations", new
        {
            groupId = Council.GroupA,
            reasons = new[] { "texte-libre-interdit" },
            sector = "atlantide",
            urgency = "normale",
            persons = new[] { new { role = "personne-suivie", nom = "", prenom = "Quirinus", dateNaissance = "2099-01-01", courriel = "quirinus-pas-une-adresse" } },
            facts = "",
        });
        var problem = await Answers.ProblemAsync(response, 400);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "reasons", "sector", "facts", "persons[0].nom", "persons[0].dateNaissance", "persons[0].courriel" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Contains("liste fermée", errors.GetProperty("reasons")[0].GetString());
        var body = problem.GetRawText();
        Assert.DoesNotContain("Quirinus", body);
        Assert.DoesNotContain("quirinus-pas-une-adresse", body);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Unauthorised_writes_change_nothing()
    {
        var id = await fixture.Steps.ReferredAsync();
        var seance = await fixture.Steps.NewSeanceAsync();
        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfOtherGroup, $"{Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 }), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.UnsignedMember, $"{Api}/situations", new
        {
            groupId = Council.GroupA, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("Refus").AsRequest("personne-suivie") }, facts = "Refusé",
        }), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.President, $"{Api}/situations/{id}/closure", new { outcome = "sans-objet", expectedVersion = 1 }), 403);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_follow_up_is_recorded_only_by_the_designated_referent()
    {
        var (id, action) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "realisee", note = "Pas moi", expectedVersion = 4 }), 403);
        Assert.Contains("pas-le-referent", problem.GetProperty("type").GetString());
        await Service.PostJsonAsync<JsonElement>(Council.Referent, $"{Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "en-cours", note = "Point d'étape", expectedVersion = 4 });
    }

    [Fact]
    public async Task An_action_owner_is_only_chosen_from_the_partner_directory_a_typed_owner_is_refused_without_repeating_it()
    {
        var person = TestPerson.Distinctive("Proprio");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits");
        var seance = await fixture.Steps.NewSeanceAsync();
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 });
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Api}/situations/{id}/examinations", new
        {
            seanceId = seance, discussionSummary = "Résumé", expectedVersion = 2, decisions = new[] { new { kind = "orientation" } },
        });
        var partner = await Council.PartnerAsync(Service);
        var dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(9));
        Task<HttpResponseMessage> Assign(object action) => Service.PostAsync(Council.Animateur, $"{Api}/situations/{id}/follow-up",
            new { referentId = Council.Id(Council.Referent), expectedVersion = 3, actions = new[] { action } });
        var before = await Service.EventCountAsync();

        // A typed owner (the fields of old) is refused, alone or next to a partner of the directory: never stored, never repeated.
        foreach (var typed in new object[]
                 {
                     new { kind = "mediation", ownerOrganisation = "CCAS", ownerRole = $"Tante de {person.Prenom}", dueOn, description = "Médiation familiale" },
                     new { kind = "mediation", ownerPartnerId = partner, ownerRole = $"Tante de {person.Prenom}", dueOn, description = "Médiation familiale" },
                 })
        {
            var problem = await Answers.ProblemAsync(await Assign(typed), 400);
            Assert.Equal(ProblemTypes.MalformedBody, problem.GetProperty("type").GetString());
            Assert.DoesNotContain(person.Prenom, problem.GetRawText());
        }
        // No owner, or one that is not in the council's directory: a field error in French.
        foreach (var owner in new Guid?[] { null, Guid.NewGuid() })
        {
            var problem = await Answers.ProblemAsync(await Assign(new { kind = "mediation", ownerPartnerId = owner, dueOn, description = "Médiation familiale" }), 400);
            Assert.Equal("Choisissez une organisation de l'annuaire des partenaires du conseil.",
                problem.GetProperty("errors").GetProperty("actions[0].ownerPartnerId")[0].GetString());
        }
        Assert.Equal(before, await Service.EventCountAsync());

        // From the directory: the organisation and the role's label are copied into the situation.
        await Answers.ExpectAsync(await Assign(new { kind = "mediation", ownerPartnerId = partner, dueOn, description = "Médiation familiale" }), 200);
        var action = (await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Api}/situations/{id}")).GetProperty("actions")[0];
        Assert.Equal("CCAS", action.GetProperty("ownerOrganisation").GetString());
        Assert.Equal("Travailleur social", action.GetProperty("ownerRole").GetString());
    }
}

using CaseExchange.Charter;
using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Verification;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using System.Net.Http.Json;

namespace CaseExchange.Tests.Retention;

public sealed class RightsFixture : CouncilFixture;

public sealed class ErasureOrderAndRightOfAccessTests(RightsFixture fixture) : IClassFixture<RightsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private Task<HttpResponseMessage> OrderErasureAsync(string subject, Guid situation, object body) =>
        Service.PostAsync(subject, $"{Council.Api}/situations/{situation}/erasure-orders", body);

    private Task<HttpResponseMessage> AskAccessAsync(TestPerson person, string route = "access-requests") =>
        Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/{route}", new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance });

    [Fact]
    public async Task An_erasure_order_by_the_coordonnateur_is_journalled_then_erases_at_once()
    {
        var person = TestPerson.Distinctive("Ordre");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits visés par une décision de justice");

        var ordered = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/erasure-orders",
            new { reason = "decision-de-justice", reference = "TJ Valence RG 26/01234" });
        Assert.Equal(id, ordered.GetProperty("situationId").GetGuid());

        // The reference is checked by the identity index (nothing decrypted, so no server check); then the order itself.
        Assert.DoesNotContain(await Service.JournalAsync(Council.Code, id), e => e.Action == JournalActions.ServerCheck);
        var entry = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.Equal(JournalActions.ErasureOrder, entry.Action);
        Assert.Equal("decision-de-justice", entry.Purpose);
        Assert.True(entry.Granted);
        await using var session = Service.Store.QuerySession(Council.Code);
        var erased = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<NominativeDataErased>().Single();
        Assert.Equal((ErasureCauses.ErasureOrder, "decision-de-justice", "TJ Valence RG 26/01234"), (erased.Cause, erased.OrderReason, erased.OrderReference));

        // From now on no path yields it: the file, the right of access, a second order.
        var refused = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 403);
        Assert.Contains("donnees-effacees", refused.GetProperty("type").GetString());
        var document = await (await AskAccessAsync(person)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(id.ToString(), document);
        Assert.Equal(0, JsonDocument.Parse(document).RootElement.GetProperty("situations").GetArrayLength());
        await Answers.ProblemAsync(await OrderErasureAsync(Council.Coordonnateur, id, new { reason = "droit-a-l-effacement" }), 409);
    }

    [Fact]
    public async Task An_erasure_order_by_anyone_else_is_refused_journalled_and_erases_nothing()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("PasOrdre"), "Faits conservés");
        foreach (var subject in new[] { Council.Animateur, Council.MemberOfHoldingGroup, Council.Auditeur, Council.President })
            await Answers.ProblemAsync(await OrderErasureAsync(subject, id, new { reason = "decision-de-justice" }), 403);

        var journal = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(4, journal.Count);
        Assert.All(journal, e => Assert.False(e.Granted));
        await using var session = Service.Store.QuerySession(Council.Code);
        Assert.False((await session.LoadAsync<Situation>(id))!.IsErased);
    }

    [Fact]
    public async Task An_erasure_reference_that_names_the_person_is_refused_without_repeating_it()
    {
        var person = TestPerson.Distinctive("Reference");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits");
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await OrderErasureAsync(Council.Coordonnateur, id,
            new { reason = "decision-de-justice", reference = $"Jugement {person.Nom.ToUpperInvariant()} 2026" }), 400);
        Assert.Equal(IdentifyingText.Message("La référence de la décision"), problem.GetProperty("errors").GetProperty("reference")[0].GetString());
        Assert.DoesNotContain(person.Nom, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        // Nothing erased: journal entries (the refusal) aside, no event.
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task The_right_of_access_gathers_everything_held_about_the_person_and_nobody_else()
    {
        var person = TestPerson.Distinctive("Acces");
        var sibling = TestPerson.Distinctive("Fratrie") with { Prenom = "Aurélien" };
        var created = await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupA, reasons = new[] { "decrochage-scolaire" }, sector = "nord", urgency = "normale",
            persons = new[] { person.AsRequest("personne-suivie"), sibling.AsRequest("membre-famille") },
            facts = "Faits concernant la personne Acces",
        }, 201);
        var id = created.GetProperty("situationId").GetGuid();
        await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id);
        await Council.ReferAsync(Service, TestPerson.Distinctive("Autre"), "Faits d'une autre personne");

        // Case, accents and hyphens do not matter; the birth date does.
        var asked = person with { Nom = person.Nom.ToUpperInvariant(), Prenom = "philomene" + "Acces".ToLowerInvariant() };
        var document = await (await AskAccessAsync(asked)).Content.ReadFromJsonAsync<JsonElement>();
        var situation = document.GetProperty("situations").EnumerateArray().Single();
        Assert.Equal(created.GetProperty("pseudonym").GetString(), situation.GetProperty("pseudonym").GetString());
        Assert.Equal(person.Adresse, situation.GetProperty("identityAsRecorded").GetProperty("adresse").GetString());
        Assert.Equal("Faits concernant la personne Acces", situation.GetProperty("facts").GetString());
        Assert.Equal(1, situation.GetProperty("otherPersonsConcerned").GetInt32());
        Assert.Contains(situation.GetProperty("accesses").EnumerateArray(), a => a.GetProperty("organisation").GetString() == "Éducation nationale");
        Assert.True(situation.TryGetProperty("erasureDueAt", out var due) && due.ValueKind == JsonValueKind.String);
        var raw = document.GetRawText();
        Assert.DoesNotContain("Aurélien", raw);
        Assert.DoesNotContain("Faits d'une autre personne", raw);
        Assert.DoesNotContain("Membre membre-a", raw); // members appear by organisation only

        var html = await (await AskAccessAsync(person, "access-requests/document")).Content.ReadAsStringAsync();
        Assert.Contains("Réponse à votre demande d'accès", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(person.Adresse), html);
        Assert.DoesNotContain("Aurélien", html);

        var exports = (await Service.JournalAsync(Council.Code, id)).Where(e => e.Action == JournalActions.RightOfAccessExport).ToList();
        Assert.Equal(2, exports.Count);

        var wrongBirthDate = await (await AskAccessAsync(person with { DateNaissance = person.DateNaissance.AddDays(1) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, wrongBirthDate.GetProperty("situations").GetArrayLength());
    }

    [Fact]
    public async Task After_erasure_statistics_are_unchanged_and_the_journal_still_verifies()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add(await fixture.Steps.ClosedAsync());
        foreach (var id in ids)
            await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id, new
            {
                purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Vérification avant effacement" },
            }), 200);
        // The statistics of this month as they will be published once it has ended (the endpoint publishes closed months only).
        async Task<string> StatisticsAsync()
        {
            await using var session = Service.Store.QuerySession(Council.Code);
            var council = (await session.LoadAsync<CaseExchange.Councils.Council>(CaseExchange.Councils.Council.StreamId))!;
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var report = await Service.Services.GetRequiredService<CaseExchange.Statistics.PlenaryStatistics>()
                .ComputeAsync(session, council, new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31));
            return JsonSerializer.Serialize(report, Json.Options);
        }
        var before = await StatisticsAsync();

        foreach (var id in ids.Take(3))
            await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/erasure-orders", new { reason = "finalite-eteinte" });

        var after = await StatisticsAsync();
        Assert.Equal(before, after);
        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code);
        Assert.True(report.Intact, report.FirstBreak?.ToString());
    }
}

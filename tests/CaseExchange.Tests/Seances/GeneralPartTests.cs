using System.Net;
using System.Text.Json;
using CaseExchange.Seances;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Seances.GeneralPart;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class GeneralPartFixture : SeanceCouncilFixture;

/// <summary>Non-nominative points of the general part (through the identity guard) and their relevé de décisions in the CR.</summary>
public sealed class GeneralPartTests(GeneralPartFixture fixture) : IClassFixture<GeneralPartFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void A_point_has_a_kind_of_the_list_a_bounded_text_and_goes_on_an_open_seance_only()
    {
        Assert.Equal(["expectedVersion", "kind", "text"], Fields(AddGeneralItemUseCase.Check(new AddGeneralItem("personne", " ", null))));
        Assert.Equal(["text"], Fields(AddGeneralItemUseCase.Check(new AddGeneralItem("lieu", new string('x', AddGeneralItemUseCase.MaxTextLength + 1), 1))));
        Assert.Empty(Fields(AddGeneralItemUseCase.Check(new AddGeneralItem("phenomene", "Rodéos motorisés le soir", 1))));

        var group = Group();
        var seance = Seance(group, Now.AddDays(9));
        var id = Guid.CreateVersion7();
        var added = AddGeneralItemUseCase.Decide(seance, new AddGeneralItem("lieu", "  Square du marché ", 1), id, Author, Now);
        Assert.Equal(new GeneralItemAdded(seance.Id, id, "lieu", "Square du marché", Author, Now), added);
        seance.Apply(added);
        Assert.Single(seance.GeneralItems);
        Assert.Contains("close", OutOfOrder(() => AddGeneralItemUseCase.Decide(Seance(group, closed: true), new AddGeneralItem("lieu", "x", 3), id, Author, Now)));
        Assert.Equal(["releveDecisions[0].itemId"], Fields(GenerateCompteRenduUseCase.CheckGeneralDecisions([new GeneralDecisionNote(Guid.NewGuid(), "x")], seance)));
        Assert.Empty(Fields(GenerateCompteRenduUseCase.CheckGeneralDecisions([new GeneralDecisionNote(id, "Une tournée commune")], seance)));
    }

    [Fact]
    public async Task A_point_naming_a_person_is_refused_a_clean_one_reaches_the_convocation_and_its_decision_the_CR()
    {
        var person = TestPerson.Distinctive("Gen1");
        await Council.ReferAsync(Service, person, "Faits.");
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow);
        var api = $"{Council.Api}/seances/{seanceId}/general-items";

        // Journal entries left out: the retention sweep of the shared service may journal its server check of this situation meanwhile.
        var before = await Service.NonJournalEventCountAsync();
        var refused = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, api,
            new { kind = "phenomene", text = $"Regroupements autour de {person.Prenom} {person.Nom}", expectedVersion = 1 }), 400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("text", out _));
        Leaks.AssertNone(refused.ToString(), Leaks.Of(person), "the refusal");
        Assert.Equal(before + 1, await Service.NonJournalEventCountAsync()); // the refusal, recorded without the text
        var bad = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, api, new { kind = "personne", text = "x", expectedVersion = 2 }), 400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("kind", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, api, new { kind = "lieu", text = "Square", expectedVersion = 1 }), 409);
        Assert.Equal(before + 1, await Service.NonJournalEventCountAsync());

        var added = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, api,
            new { kind = "action-collective", text = "Tournée commune de prévention au square du marché", expectedVersion = 2 });
        var itemId = added.GetProperty("itemId").GetGuid();
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Mairie", expectedVersion = 3 }), 200);
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations", new { urgent = true, expectedVersion = 4 }, 201);
        var convocation = await (await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/1/html")).Content.ReadAsStringAsync();
        Assert.Contains("Tournée commune de prévention au square du marché", convocation);

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.CloseAsync(seanceId), 200);
        var naming = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/compte-rendu", new
        {
            releveDecisions = new[] { new { itemId, text = $"Rencontrer {person.Nom}" } }, expectedVersion = await Steps.SeanceVersionAsync(seanceId),
        }), 400);
        Assert.True(naming.GetProperty("errors").TryGetProperty("releveDecisions[0].text", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/compte-rendu", new
        {
            releveDecisions = new[] { new { itemId = Guid.NewGuid(), text = "x" } }, expectedVersion = await Steps.SeanceVersionAsync(seanceId),
        }), 400);

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/compte-rendu", new
        {
            releveDecisions = new[] { new { itemId, text = "Tournée le premier samedi du mois, avec la médiation" } },
            expectedVersion = await Steps.SeanceVersionAsync(seanceId),
        }, 201);
        foreach (var format in new[] { "html", "md", "docx" })
        {
            var file = await Steps.DownloadAsync(seanceId, 1, format);
            await Answers.ExpectAsync(file, 200);
            if (format == "docx")
            {
                DocxValidity.AssertValid(await file.Content.ReadAsByteArrayAsync(), "the CR with its relevé de décisions");
                continue;
            }
            var text = await file.Content.ReadAsStringAsync();
            Assert.Contains("relevé de décisions", text);
            Assert.Contains("Tournée le premier samedi du mois", text);
            Leaks.AssertNone(text, Leaks.Of(person), $"the CR ({format})");
        }
    }

    [Fact]
    public async Task The_page_adds_a_point_and_a_refused_form_keeps_what_was_typed()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var refused = await client.PostAsync($"{pageUrl}?handler=Point", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["General.Kind"] = "", ["General.Text"] = "Dépôts sauvages rue des Lilas", ["General.ExpectedVersion"] = "1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Dépôts sauvages rue des Lilas", await refused.Content.ReadAsStringAsync());

        var added = await client.PostAsync($"{pageUrl}?handler=Point", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["General.Kind"] = "phenomene", ["General.Text"] = "Dépôts sauvages rue des Lilas", ["General.ExpectedVersion"] = "1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Dépôts sauvages rue des Lilas", await (await client.GetAsync(pageUrl)).Content.ReadAsStringAsync());
    }
}

using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Seances;
using CaseExchange.Seances.Convocation;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class ConvocationFixture : SeanceCouncilFixture;

/// <summary>The convocation: eight days ahead unless urgent (règlement intérieur, article 6), the anonymised ODJ, DOCX and HTML without a name.</summary>
public sealed partial class ConvocationTests(ConvocationFixture fixture) : IClassFixture<ConvocationFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    private static Seance WithPlace(Seance seance)
    {
        seance.Apply(new SeancePlaceChanged(seance.Id, "Mairie, salle du conseil", Author, Now));
        return seance;
    }

    [Fact]
    public void Eight_days_ahead_or_urgent()
    {
        Assert.Null(ConveneSeanceUseCase.TooLate(Now.AddDays(8), Now, urgent: false));
        Assert.Contains("huit jours", ConveneSeanceUseCase.TooLate(Now.AddDays(7), Now, urgent: false));
        Assert.Null(ConveneSeanceUseCase.TooLate(Now.AddDays(1), Now, urgent: true));
        Assert.Equal(["expectedVersion"], Fields(ConveneSeanceUseCase.Check(new ConveneSeance(false, null))));

        var group = Group();
        var council = Council();
        Assert.Contains("huit jours", OutOfOrder(() => ConveneSeanceUseCase.Decide(WithPlace(Seance(group, Now.AddDays(5))), group, council, Policy, [],
            new ConveneSeance(false, 2), Author, Now)));
        Assert.Contains("lieu", OutOfOrder(() => ConveneSeanceUseCase.Decide(Seance(group, Now.AddDays(10)), group, council, Policy, [],
            new ConveneSeance(false, 1), Author, Now)));
        Assert.Contains("déjà eu lieu", OutOfOrder(() => ConveneSeanceUseCase.Decide(WithPlace(Seance(group, Now.AddDays(-3))), group, council, Policy, [],
            new ConveneSeance(true, 2), Author, Now)));
        Assert.Contains("close", OutOfOrder(() => ConveneSeanceUseCase.Decide(WithPlace(Seance(group, closed: true)), group, council, Policy, [],
            new ConveneSeance(true, 2), Author, Now)));
    }

    [Fact]
    public void The_convocation_holds_the_situations_waiting_on_the_ODJ_the_place_and_the_charter_reminder()
    {
        var group = Group();
        var seance = WithPlace(Seance(group, Now.AddDays(3)));
        var waiting = Situation(group, "S-2026-0041").PlacedOn(seance);
        var elsewhere = Situation(group, "S-2026-0042");
        var convened = ConveneSeanceUseCase.Decide(seance, group, Council(), Policy, [waiting, elsewhere], new ConveneSeance(true, 2), Author, Now);
        Assert.Equal((1, true, Now), (convened.Number, convened.Urgent, convened.At));
        Assert.Equal(["S-2026-0041"], convened.Content.Items.Select(i => i.Pseudonym));
        seance.Apply(convened);
        Assert.Single(seance.Convocations);

        var html = Encoding.UTF8.GetString(convened.Content.ToDocument().Render("html", "x").Bytes);
        Assert.Contains("Mairie, salle du conseil", html);
        Assert.Contains("L. 132-5", html);
        Assert.Contains("urgence", html);
    }

    [Fact]
    public async Task A_convocation_downloads_as_a_valid_DOCX_and_a_printable_page_without_any_identity()
    {
        var persons = new[] { TestPerson.Distinctive("Convoc1"), TestPerson.Distinctive("Convoc2") };
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(12));
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Hôtel de ville, salle Jean Moulin", expectedVersion = 1 }), 200);
        var pseudonyms = new List<string>();
        foreach (var person in persons)
        {
            var situation = await Council.ReferAsync(Service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
            await Steps.PlaceAsync(situation.Id, seanceId);
            pseudonyms.Add(situation.Pseudonym);
        }

        var convened = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) }, 201);
        Assert.Equal(1, convened.GetProperty("number").GetInt32());

        var docx = await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/1/docx");
        await Answers.ExpectAsync(docx, 200);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType?.MediaType);
        var bytes = await docx.Content.ReadAsByteArrayAsync();
        DocxValidity.AssertValid(bytes, "the convocation");
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entry = zip.GetEntry("word/document.xml");
        Assert.NotNull(entry);
        string xml;
        using (var reader = new StreamReader(entry.Open())) xml = await reader.ReadToEndAsync();
        var text = string.Concat(WordText().Matches(xml).Select(m => m.Groups[1].Value + " "));
        var everything = new StringBuilder(text);
        foreach (var part in zip.Entries)
        {
            using var reader = new StreamReader(part.Open());
            everything.Append(await reader.ReadToEndAsync());
        }

        var html = await (await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/1/html")).Content.ReadAsStringAsync();
        foreach (var (where, content) in new[] { ("docx", everything.ToString()), ("html", html) })
        {
            foreach (var person in persons) Leaks.AssertNone(content, Leaks.Of(person), $"the convocation ({where})");
            Leaks.AssertNone(content, Leaks.Secrets, $"the convocation ({where})");
        }
        foreach (var text2 in new[] { text, html })
        {
            Assert.All(pseudonyms, p => Assert.Contains(p, text2));
            Assert.Contains("Hôtel de ville, salle Jean Moulin", text2);
            Assert.Contains("L. 132-5", text2);
        }
        Assert.StartsWith("<!DOCTYPE html>", html);

        await Answers.ProblemAsync(await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/2/docx"), 404);
        await Answers.ProblemAsync(await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/1/odt"), 404);
    }

    [Fact]
    public async Task Late_without_urgency_is_409_missing_version_is_400_and_nothing_is_appended_then_urgent_is_accepted()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(3));
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Mairie annexe", expectedVersion = 1 }), 200);
        var before = await Service.EventCountAsync();
        var late = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations",
            new { expectedVersion = 2 }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", late.GetProperty("type").GetString());
        Assert.Contains("huit jours", late.GetProperty("detail").GetString());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations", new { urgent = true }), 400);
        Assert.Equal(before, await Service.EventCountAsync());

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations",
            new { urgent = true, expectedVersion = 2 }, 201);
    }

    [Fact]
    public async Task The_page_refuses_a_late_convocation_on_the_form_and_lists_the_convocations_to_download()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(4));
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Mairie annexe", expectedVersion = 1 }), 200);
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var refused = await client.PostAsync($"{pageUrl}?handler=Convoquer", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl), ["Convene.ExpectedVersion"] = "2",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("huit jours", await refused.Content.ReadAsStringAsync());

        var urgent = await client.PostAsync($"{pageUrl}?handler=Convoquer", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl), ["Convene.ExpectedVersion"] = "2", ["Convene.Urgent"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, urgent.StatusCode);
        var page = await (await client.GetAsync(pageUrl)).Content.ReadAsStringAsync();
        Assert.Contains("Convocation n° 1", page);
        var file = await client.GetAsync($"{pageUrl}?handler=Convocation&number=1&format=docx");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", file.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("<w:t[^>]*>([^<]*)</w:t>")]
    private static partial Regex WordText();
}

using System.Net;
using CaseExchange.Journal;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Marten;

namespace CaseExchange.Tests.Retention;

public sealed class RetentionPagesFixture : CouncilFixture;

/// <summary>The erasure-order and right-of-access pages: the same use cases as the API, journalled as the API journals.</summary>
public sealed class RetentionPagesTests(RetentionPagesFixture fixture) : IClassFixture<RetentionPagesFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task The_erasure_form_keeps_an_unconfirmed_order_then_erases_and_journals_it_once_confirmed()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        Assert.Contains($"/c/{Council.Code}/situations/{id}/effacement", await client.GetStringAsync($"/c/{Council.Code}/situations/{id}"));
        var url = $"/c/{Council.Code}/situations/{id}/effacement";
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
            ["Input.Reason"] = "decision-de-justice",
            ["Input.Reference"] = "TJ Valence RG 26/04321",
        };
        var unconfirmed = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        var again = await unconfirmed.Content.ReadAsStringAsync();
        Assert.Contains("Cochez la case pour confirmer", again);
        Assert.Contains("TJ Valence RG 26/04321", again);
        Assert.Empty(await Service.JournalAsync(Council.Code, id));

        fields["Input.Confirm"] = "true";
        var ordered = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, ordered.StatusCode);
        var entry = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.Equal((JournalActions.ErasureOrder, "decision-de-justice", true), (entry.Action, entry.Purpose, entry.Granted));
        await using var session = Service.Store.QuerySession(Council.Code);
        var erased = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<NominativeDataErased>().Single();
        Assert.Equal(("decision-de-justice", "TJ Valence RG 26/04321"), (erased.OrderReason, erased.OrderReference));
        Assert.Contains("déjà effacées", await client.GetStringAsync(url));
    }

    [Fact]
    public async Task An_erasure_form_forged_by_an_animateur_is_refused_and_journalled_as_by_the_api()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var coordonnateur = await Service.PageClientAsync(Council.Coordonnateur);
        using var animateur = await Service.PageClientAsync(Council.Animateur);
        Assert.Equal(HttpStatusCode.Forbidden, (await animateur.GetAsync($"/c/{Council.Code}/situations/{id}/effacement")).StatusCode);
        var forged = await animateur.PostAsync($"/c/{Council.Code}/situations/{id}/effacement", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(animateur, $"/c/{Council.Code}/situations/{id}"),
            ["Input.Reason"] = "decision-de-justice", ["Input.Confirm"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var refusal = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.Equal((JournalActions.ErasureOrder, false, Council.Id(Council.Animateur)), (refusal.Action, refusal.Granted, refusal.MemberId));
        await using var session = Service.Store.QuerySession(Council.Code);
        Assert.Empty((await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<NominativeDataErased>());
    }

    [Fact]
    public async Task The_right_of_access_page_finds_the_person_as_the_api_does_and_journals_each_export()
    {
        var person = TestPerson.Distinctive("PageAcces");
        var (id, pseudonym) = await Council.ReferAsync(Service, person, "Faits de la page d'accès");
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/droit-acces";
        Assert.Contains("href=\"" + url + "\"", await client.GetStringAsync($"/c/{Council.Code}"));

        // A missing birth date: the form comes back with what was typed; the refusal is journalled on the council's chain.
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
            ["Input.Nom"] = person.Nom.ToUpperInvariant(), ["Input.Prenom"] = person.Prenom, ["Input.DateNaissance"] = "",
        };
        var incomplete = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var again = await incomplete.Content.ReadAsStringAsync();
        Assert.Contains("La date de naissance est obligatoire.", again);
        Assert.Contains(person.Nom.ToUpperInvariant(), again);
        Assert.Contains(await Service.JournalAsync(Council.Code, JournalChains.CouncilSituationId),
            e => e.Action == JournalActions.RightOfAccessExport && !e.Granted && e.MemberId == Council.Id(Council.Coordonnateur));
        Assert.Empty(await Service.JournalAsync(Council.Code, id));

        fields["Input.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd");
        var answered = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var page = await answered.Content.ReadAsStringAsync();
        Assert.Contains("Réponse à votre demande d'accès", page);
        Assert.Contains($"Situation {pseudonym}", page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(person.Adresse), page);
        Assert.Contains("Faits de la page d", page);
        Assert.Contains("no-store", answered.Headers.CacheControl?.ToString());
        Assert.Single(await Service.JournalAsync(Council.Code, id), e => e.Action == JournalActions.RightOfAccessExport && e.Granted);

        // The download is the API's printable HTML, and a new export journalled as such.
        var download = await client.PostAsync($"{url}?handler=Telecharger", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Contains("attachment", download.Content.Headers.ContentDisposition?.ToString());
        Assert.Contains(System.Net.WebUtility.HtmlEncode(person.Adresse), await download.Content.ReadAsStringAsync());
        Assert.Equal(2, (await Service.JournalAsync(Council.Code, id)).Count(e => e.Action == JournalActions.RightOfAccessExport && e.Granted));
    }

    [Fact]
    public async Task A_right_of_access_form_forged_by_another_member_is_refused_and_journalled()
    {
        var person = TestPerson.Distinctive("PageAccesRefus");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits non exportés");
        using var client = await Service.PageClientAsync(Council.Animateur);
        var before = (await Service.JournalAsync(Council.Code, JournalChains.CouncilSituationId)).Count;
        var forged = await client.PostAsync($"/c/{Council.Code}/droit-acces", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, $"/c/{Council.Code}"),
            ["Input.Nom"] = person.Nom, ["Input.Prenom"] = person.Prenom, ["Input.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.DoesNotContain(person.Nom, await forged.Content.ReadAsStringAsync());
        var council = await Service.JournalAsync(Council.Code, JournalChains.CouncilSituationId);
        Assert.Equal(before + 1, council.Count);
        Assert.Contains(council, e => e.Action == JournalActions.RightOfAccessExport && !e.Granted && e.MemberId == Council.Id(Council.Animateur));
        Assert.Empty(await Service.JournalAsync(Council.Code, id));
    }
}

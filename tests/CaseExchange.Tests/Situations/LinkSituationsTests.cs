using System.Net;
using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Situations.Links;
using CaseExchange.Situations.Viewing;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

public sealed class LinksFixture : CouncilFixture;

/// <summary>The coordonnateur links two situations (a family, siblings) without opening either; each view shows the other's pseudonym to readers of both groups only; unlink.</summary>
public sealed class LinkSituationsTests(LinksFixture fixture) : IClassFixture<LinksFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private string Url => $"{Council.Api}/situation-links";

    private Task<AnonymisedSituation> ViewAsync(string subject, Guid id) =>
        Service.GetJsonAsync<AnonymisedSituation>(subject, $"{Council.Api}/situations/{id}");

    [Fact]
    public void Decide_gives_one_event_per_stream_and_refuses_a_second_link()
    {
        var first = Referred().Situation;
        var second = Referred().Situation;
        second.Id = Guid.NewGuid();
        second.Pseudonym = "S-2026-0002";
        var (one, other) = LinkSituationsUseCase.Decide(first, second, LinkKinds.Fratrie, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow);
        Assert.Equal((first.Id, second.Id, "S-2026-0002"), (one.SituationId, one.OtherSituationId, one.OtherPseudonym));
        Assert.Equal((second.Id, first.Id, first.Pseudonym), (other.SituationId, other.OtherSituationId, other.OtherPseudonym));
        first.Apply(one);
        var again = Assert.Throws<CaseExchange.Http.ProblemException>(() =>
            LinkSituationsUseCase.Decide(first, second, LinkKinds.Famille, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow));
        Assert.Equal(409, again.Problem.Status);
        Assert.Equal(["kind"], ErrorsOf(LinkSituationsUseCase.Check(new LinkSituations(first.Id, second.Id, "voisins"))).Keys);
    }

    [Fact]
    public async Task The_coordonnateur_links_without_opening_both_views_show_the_pseudonyms_and_unlinks()
    {
        var a = await fixture.Steps.ReferAsync();
        // The sibling is followed by the other group, referred by its member.
        var b = await Service.PostJsonAsync<SituationCreated>(Council.MemberOfOtherGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupB, reasons = new[] { "errance" }, sector = "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive($"Frere{Guid.NewGuid():N}"[..10]).AsRequest("personne-suivie") }, facts = "Faits fictifs",
        }, 201);

        var linked = await Service.PostJsonAsync<SituationsLinkedResponse>(Council.Coordonnateur, Url,
            new { situationId = a.Id, otherSituationId = b.SituationId, kind = "fratrie" });
        Assert.Equal((a.Pseudonym, b.Pseudonym, "fratrie"), (linked.Pseudonym, linked.OtherPseudonym, linked.Kind));

        // The coordonnateur, who reads every group's rows, sees the link on both sides.
        var viewA = await ViewAsync(Council.Coordonnateur, a.Id);
        Assert.Equal([(b.SituationId, b.Pseudonym, "fratrie")], viewA.Links!.Select(l => (l.OtherSituationId, l.OtherPseudonym, l.Kind)));
        var viewB = await ViewAsync(Council.Coordonnateur, b.SituationId);
        Assert.Equal([(a.Id, a.Pseudonym)], viewB.Links!.Select(l => (l.OtherSituationId, l.OtherPseudonym)));

        // Need to know: each group's members do not learn that the other group holds a situation, nor its pseudonym.
        Assert.Empty((await ViewAsync(Council.MemberOfHoldingGroup, a.Id)).Links!);
        Assert.Empty((await ViewAsync(Council.MemberOfOtherGroup, b.SituationId)).Links!);
        var listed = await Service.GetJsonAsync<SituationPage>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations");
        Assert.All(listed.Items, row => Assert.Empty(row.Links ?? []));
        using (var memberPage = await Service.PageClientAsync(Council.MemberOfHoldingGroup))
        {
            var memberHtml = await memberPage.GetStringAsync($"/c/{Council.Code}/situations/{a.Id}", TestContext.Current.CancellationToken);
            Assert.DoesNotContain(b.Pseudonym, memberHtml);
        }

        // Nothing was opened: neither situation has a journal entry.
        Assert.Empty(await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.ChainOf(a.Id)));
        Assert.Empty(await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.ChainOf(b.SituationId)));

        // The coordonnateur's page of the situation shows the other's pseudonym.
        using var page = await Service.PageClientAsync(Council.Coordonnateur);
        var html = WebUtility.HtmlDecode(await page.GetStringAsync($"/c/{Council.Code}/situations/{a.Id}", TestContext.Current.CancellationToken));
        Assert.Contains($"{b.Pseudonym} (Fratrie)", html);

        // A second link of the same pair: 409, nothing appended.
        var before = await Service.EventCountAsync();
        var twice = await Service.PostAsync(Council.Coordonnateur, Url, new { situationId = b.SituationId, otherSituationId = a.Id, kind = "famille" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(before, await Service.EventCountAsync());

        var unlinked = await Service.SendAsync(Council.Coordonnateur, HttpMethod.Delete, $"{Council.Api}/situations/{b.SituationId}/links/{linked.LinkId}");
        await Answers.ExpectAsync(unlinked, 200);
        Assert.Empty((await ViewAsync(Council.Coordonnateur, a.Id)).Links!);
        Assert.Empty((await ViewAsync(Council.Coordonnateur, b.SituationId)).Links!);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_nothing_appended()
    {
        var a = await fixture.Steps.ReferredAsync();
        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, Url, new { situationId = a, otherSituationId = a, kind = "fratrie" }), 400);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, Url, new { situationId = a, otherSituationId = Guid.NewGuid(), kind = "fratrie" }), 404);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, Url, new { situationId = a, otherSituationId = Guid.NewGuid(), kind = "fratrie" }), 403);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_links_page_links_by_pseudonym_keeps_a_refused_form_and_unlinks()
    {
        var a = await fixture.Steps.ReferAsync();
        var b = await fixture.Steps.ReferAsync();
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/situations/{a.Id}/liens";
        Assert.Contains(url, await client.GetStringAsync($"/c/{Council.Code}/situations/{a.Id}", TestContext.Current.CancellationToken));

        // An unknown pseudonym and a missing kind: 400, what was typed kept, nothing appended.
        var before = await Service.EventCountAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
            ["Input.OtherPseudonym"] = "S-1999-9999",
            ["Input.Kind"] = "",
        };
        var unknown = await client.PostAsync(url, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownHtml = await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Aucune situation de ce conseil ne porte ce pseudonyme.", unknownHtml);
        Assert.Contains("value=\"S-1999-9999\"", unknownHtml);
        fields["Input.OtherPseudonym"] = b.Pseudonym;
        var noKind = await client.PostAsync(url, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, noKind.StatusCode);
        Assert.Contains("Choisissez le lien dans la liste", WebUtility.HtmlDecode(await noKind.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(before, await Service.EventCountAsync());

        fields["Input.Kind"] = "famille";
        var linked = await client.PostAsync(url, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(url, TestContext.Current.CancellationToken));
        Assert.Contains($"Situations {a.Pseudonym} et {b.Pseudonym} liées (Même famille).", page);
        var link = Assert.Single((await ViewAsync(Council.Coordonnateur, a.Id)).Links!);
        Assert.Equal(b.Id, link.OtherSituationId);

        var unlink = await client.PostAsync($"{url}?handler=Unlink&linkId={link.LinkId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, unlink.StatusCode);
        Assert.Empty((await ViewAsync(Council.Coordonnateur, b.Id)).Links!);
    }
}

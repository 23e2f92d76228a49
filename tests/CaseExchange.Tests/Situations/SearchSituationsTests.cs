using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Situations.Search;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;

namespace CaseExchange.Tests.Situations;

public sealed class SearchFixture : CouncilFixture;

/// <summary>
/// Search bound to a purpose: by pseudonym within the anonymised view's need to know; by name or birth date only for the
/// members of a holding group, with a purpose, answered from the identity index and journalled before the pseudonyms
/// are returned; refusals journalled; no identity value in any answer.
/// </summary>
public sealed class SearchSituationsTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private string Url => $"{Council.Api}/searches";

    private async Task<string> BodyAsync(string subject, object body, int status = 200)
    {
        var response = await Service.PostAsync(subject, Url, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    private static SearchResponse Read(string text) => JsonSerializer.Deserialize<SearchResponse>(text, Json.Options)!;

    private Task<List<AccessJournalled>> ChainAsync(Guid situation) => JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.ChainOf(situation));

    private static void HoldsNoIdentity(string text, TestPerson person)
    {
        foreach (var value in person.Leakables()) Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
    }

    private static TestPerson NewPerson(string tag) => TestPerson.Distinctive($"{tag}{Guid.NewGuid():N}"[..10]);

    [Fact]
    public void Terms_are_the_exact_identity_or_the_whole_names_and_the_date()
    {
        var birth = new DateOnly(2010, 1, 2);
        Assert.Equal([IdentityTerms.ExactIdentity("De La Tour", "Zoé", birth)],
            SearchSituationsUseCase.TermsOf(new SearchSituations(null, "De La Tour", "Zoé", birth, "suivi")));
        Assert.Equal(["w:delatour", "w:zoe"], SearchSituationsUseCase.TermsOf(new SearchSituations(null, "De La Tour", "ZOÉ", null, "suivi")));
        Assert.Equal(["d:2010-01-02"], SearchSituationsUseCase.TermsOf(new SearchSituations(null, null, null, birth, "suivi")));
    }

    [Fact]
    public async Task By_pseudonym_within_the_need_to_know_another_groups_pseudonym_is_as_unknown_as_a_missing_one()
    {
        var (id, pseudonym, _) = await fixture.Steps.ReferAsync();
        var found = Read(await BodyAsync(Council.MemberOfHoldingGroup, new { pseudonym = pseudonym.ToLowerInvariant() }));
        Assert.Equal([(id, pseudonym)], found.Results.Select(r => (r.SituationId, r.Pseudonym)));
        Assert.Single(Read(await BodyAsync(Council.Auditeur, new { pseudonym })).Results);

        Assert.Equal(await BodyAsync(Council.MemberOfOtherGroup, new { pseudonym = "S-1999-9999" }),
            await BodyAsync(Council.MemberOfOtherGroup, new { pseudonym }));
        await BodyAsync(Council.President, new { pseudonym }, 403);
    }

    [Fact]
    public async Task By_name_for_a_member_of_the_holding_group_journalled_on_the_council_and_the_situation_before_the_pseudonyms()
    {
        var person = NewPerson("Srch");
        var (id, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");
        var council = (await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.CouncilChainId)).Count;

        var text = await BodyAsync(Council.MemberOfHoldingGroup, new { nom = person.Nom.ToUpperInvariant(), prenom = person.Prenom, purpose = "suivi" });
        Assert.Equal([(id, pseudonym)], Read(text).Results.Select(r => (r.SituationId, r.Pseudonym)));
        HoldsNoIdentity(text, person);

        var entry = Assert.Single(await ChainAsync(id), e => e.Action == JournalActions.IdentitySearch);
        Assert.Equal((true, "suivi", Council.Id(Council.MemberOfHoldingGroup)), (entry.Granted, entry.Purpose, entry.MemberId!.Value));
        var search = Assert.Single((await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.CouncilChainId)).Skip(council));
        Assert.Equal((JournalActions.IdentitySearch, true, "suivi"), (search.Action, search.Granted, search.Purpose));
        // The search opened nothing: no file opening on the situation's chain.
        Assert.DoesNotContain(await ChainAsync(id), e => e.Action == JournalActions.FileOpening);

        // By birth date, and by surname and birth date: the same situation.
        Assert.Contains(Read(await BodyAsync(Council.Animateur, new { dateNaissance = person.DateNaissance, purpose = "suivi" })).Results, r => r.SituationId == id);
        Assert.Equal([id], Read(await BodyAsync(Council.Animateur, new { nom = person.Nom, dateNaissance = person.DateNaissance, purpose = "suivi" }))
            .Results.Select(r => r.SituationId));
    }

    [Fact]
    public async Task A_member_of_another_group_gets_the_same_answer_with_and_without_a_match()
    {
        var held = NewPerson("Held");
        await Council.ReferAsync(Service, held, "Faits fictifs");
        var nobody = NewPerson("None");
        var withMatch = await BodyAsync(Council.MemberOfOtherGroup, new { nom = held.Nom, prenom = held.Prenom, dateNaissance = held.DateNaissance, purpose = "suivi" });
        var withoutMatch = await BodyAsync(Council.MemberOfOtherGroup, new { nom = nobody.Nom, prenom = nobody.Prenom, dateNaissance = nobody.DateNaissance, purpose = "suivi" });
        Assert.Equal(withoutMatch, withMatch);
        Assert.Empty(Read(withMatch).Results);
    }

    [Fact]
    public async Task An_unauthorised_name_search_is_refused_and_journalled_whatever_is_held()
    {
        var person = NewPerson("Refus");
        await Council.ReferAsync(Service, person, "Faits fictifs");
        var body = new { nom = person.Nom, prenom = person.Prenom, purpose = "suivi" };
        foreach (var (subject, refusal) in new[]
                 {
                     (Council.Auditeur, Refusals.RoleNotAllowed), (Council.President, Refusals.RoleNotAllowed),
                     (Council.UnsignedMember, Refusals.CharterNotSigned),
                     // The coordonnateur belongs to no group: a name search is for members of a holding group.
                     (Council.Coordonnateur, Refusals.NotInHoldingGroup), (Council.RemovedMember, Refusals.NotInHoldingGroup),
                 })
        {
            var problem = await BodyAsync(subject, body, 403);
            HoldsNoIdentity(problem, person);
            var last = (await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.CouncilChainId)).Last();
            Assert.Equal((JournalActions.IdentitySearch, false, refusal, Council.Id(subject)), (last.Action, last.Granted, last.Refusal, last.MemberId!.Value));
        }

        // Without a purpose of the charter: 400, journalled, the message repeats nothing typed.
        var invalid = await BodyAsync(Council.MemberOfHoldingGroup, new { nom = person.Nom, prenom = person.Prenom, purpose = "curiosite" }, 400);
        HoldsNoIdentity(invalid, person);
        Assert.Equal(Refusals.InvalidRequest, (await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.CouncilChainId)).Last().Refusal);
    }

    [Fact]
    public async Task The_search_page_lists_pseudonyms_and_never_shows_the_identity_back()
    {
        var person = NewPerson("Page");
        var (_, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var page = $"/c/{Council.Code}/recherche";
        var token = await Pages.AntiforgeryTokenAsync(member, page);
        var response = await member.PostAsync($"{page}?handler=identite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Identite.Nom"] = person.Nom, ["Identite.Prenom"] = person.Prenom,
            ["Identite.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"), ["Identite.Purpose"] = "suivi",
        }), TestContext.Current.CancellationToken);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(pseudonym, html);
        HoldsNoIdentity(html, person);

        // Without a purpose: the form comes back with its error, still without the identity.
        var refused = await member.PostAsync($"{page}?handler=identite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Identite.Nom"] = person.Nom, ["Identite.Prenom"] = person.Prenom,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Indiquez le motif de la recherche", refusedHtml);
        HoldsNoIdentity(refusedHtml, person);

        // A member of any holding group has the name search; the auditeur does not.
        using var other = await Service.PageClientAsync(Council.MemberOfOtherGroup);
        Assert.Contains("Identite.Nom", await other.GetStringAsync(page, TestContext.Current.CancellationToken));
        using var auditor = await Service.PageClientAsync(Council.Auditeur);
        Assert.DoesNotContain("Identite.Nom", await auditor.GetStringAsync(page, TestContext.Current.CancellationToken));
    }
}

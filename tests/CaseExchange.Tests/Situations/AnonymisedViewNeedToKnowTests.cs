using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;

namespace CaseExchange.Tests.Situations;

/// <summary>
/// Charter, rule 8: sector, age bands, reasons and dates single a person out in a small town. A member reads the
/// anonymised rows of the groups they belong to, after signing the charter in force; the coordonnateur reads all.
/// </summary>
public sealed class AnonymisedViewNeedToKnowTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private async Task<(Guid Id, string Pseudonym)> ReferInGroupBAsync()
    {
        var created = await Service.PostJsonAsync<JsonElement>(Council.MemberOfOtherGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupB, reasons = new[] { "errance" }, sector = "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("GroupeB").AsRequest("personne-suivie") }, facts = "Faits fictifs du groupe B",
        }, 201);
        return (created.GetProperty("situationId").GetGuid(), created.GetProperty("pseudonym").GetString()!);
    }

    private async Task<IReadOnlyList<string>> PseudonymsListedForAsync(string subject, string query = "")
    {
        var page = await Service.GetJsonAsync<JsonElement>(subject, $"{Council.Api}/situations?pageSize=200{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("pseudonym").GetString()!)];
    }

    [Fact]
    public async Task Member_of_another_group_gets_no_row_of_a_group_they_are_not_in()
    {
        var (inA, pseudonymA) = await Council.ReferAsync(Service, TestPerson.Distinctive("GroupeA"), "Faits fictifs du groupe A");
        var (_, pseudonymB) = await ReferInGroupBAsync();
        var seanceA = await new SeanceSteps(Service, Council).ScheduleAsync();

        var listed = await PseudonymsListedForAsync(Council.MemberOfOtherGroup);
        Assert.Contains(pseudonymB, listed);
        Assert.DoesNotContain(pseudonymA, listed);
        Assert.DoesNotContain(pseudonymA, await PseudonymsListedForAsync(Council.MemberOfOtherGroup, $"&groupId={Council.GroupA}"));
        // One situation, or the séance whose ODJ lists it: the same answer as for something that does not exist.
        await Answers.ProblemAsync(await Service.GetAsync(Council.MemberOfOtherGroup, $"{Council.Api}/situations/{inA}"), 404);
        await Answers.ProblemAsync(await Service.GetAsync(Council.MemberOfOtherGroup, $"{Council.Api}/seances/{seanceA}"), 404);

        // The page of the list: no row of group A either.
        using var client = await Service.PageClientAsync(Council.MemberOfOtherGroup);
        var html = await client.GetStringAsync($"/c/{Council.Code}/situations");
        Assert.Contains(pseudonymB, html);
        Assert.DoesNotContain(pseudonymA, html);

        // Group A's members read group A's rows, not group B's.
        var ofA = await PseudonymsListedForAsync(Council.MemberOfHoldingGroup);
        Assert.Contains(pseudonymA, ofA);
        Assert.DoesNotContain(pseudonymB, ofA);
    }

    [Fact]
    public async Task A_member_who_has_not_signed_the_charter_gets_no_anonymised_row()
    {
        var (inA, pseudonymA) = await Council.ReferAsync(Service, TestPerson.Distinctive("NonSigne"), "Faits fictifs");
        var problem = await Answers.ProblemAsync(await Service.GetAsync(Council.UnsignedMember, $"{Council.Api}/situations"), 403);
        Assert.Equal("urn:caseexchange:problem:forbidden:charte-non-signee", problem.GetProperty("type").GetString());
        await Answers.ProblemAsync(await Service.GetAsync(Council.UnsignedMember, $"{Council.Api}/situations/{inA}"), 403);

        using var client = await Service.PageClientAsync(Council.UnsignedMember);
        var response = await client.GetAsync($"/c/{Council.Code}/situations");
        Assert.Equal(403, (int)response.StatusCode);
        Assert.DoesNotContain(pseudonymA, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_coordonnateur_and_the_auditeur_read_every_group()
    {
        var (_, pseudonymA) = await Council.ReferAsync(Service, TestPerson.Distinctive("Tous"), "Faits fictifs");
        var (_, pseudonymB) = await ReferInGroupBAsync();
        foreach (var subject in new[] { Council.Coordonnateur, Council.Auditeur })
        {
            var listed = await PseudonymsListedForAsync(subject);
            Assert.Contains(pseudonymA, listed);
            Assert.Contains(pseudonymB, listed);
        }
    }
}

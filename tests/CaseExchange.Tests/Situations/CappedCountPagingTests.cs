using System.Text.Json;
using CaseExchange.Http;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Situations;

/// <summary>
/// Paged lists count up to a cap (README « Growth with a council's history »): the total says when it stopped there, and
/// "next" stays known whatever the page.
/// </summary>
public sealed class CappedCountPagingTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    [Theory]
    [InlineData(3, 0, 2, 3, false, true)]
    [InlineData(3, 2, 2, 3, false, false)]
    [InlineData(1000, 0, 50, 1000, false, true)]
    [InlineData(1001, 0, 50, 1000, true, true)]
    [InlineData(1001, 950, 50, 1000, true, true)]
    [InlineData(1000, 950, 50, 1000, false, false)]
    // A page past the cap counts past its own last row.
    [InlineData(1051, 1000, 50, 1050, true, true)]
    [InlineData(1020, 1000, 50, 1020, false, false)]
    public void The_total_is_capped_and_says_so(int counted, int skip, int size, long total, bool capped, bool hasNext) =>
        Assert.Equal((total, capped, hasNext), CappedCount.Of(counted, skip, size));

    [Fact]
    public void A_capped_total_reads_as_more_than()
    {
        Assert.Matches(@"^plus de 1\s?000$", CappedCount.Label(1000, capped: true));
        Assert.Matches(@"^999$", CappedCount.Label(999, capped: false));
    }

    [Fact]
    public async Task The_anonymised_list_says_whether_a_next_page_exists()
    {
        var service = fixture.Service;
        var council = fixture.Council;
        var steps = new SituationSteps(service, council);
        for (var i = 0; i < 3; i++) await steps.ReferAsync();

        // (The class's council is shared with the journal's test: it may hold more than these three.)
        var all = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations?pageSize=200");
        var total = all.GetProperty("totalCount").GetInt64();
        Assert.True(total >= 3);
        Assert.Equal(total, all.GetProperty("items").GetArrayLength());
        Assert.False(all.GetProperty("totalCountCapped").GetBoolean());
        Assert.False(all.GetProperty("hasNextPage").GetBoolean());

        var first = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations?pageSize=2&page=1");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(total, first.GetProperty("totalCount").GetInt64());
        Assert.True(first.GetProperty("hasNextPage").GetBoolean());

        var last = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations?pageSize=2&page={(total + 1) / 2}");
        Assert.Equal(total % 2 == 0 ? 2 : 1, last.GetProperty("items").GetArrayLength());
        Assert.False(last.GetProperty("hasNextPage").GetBoolean());
    }

    [Fact]
    public async Task The_journal_page_says_whether_a_next_page_exists()
    {
        var service = fixture.Service;
        var council = fixture.Council;
        var steps = new SituationSteps(service, council);
        for (var i = 0; i < 3; i++)
        {
            var id = await steps.ReferredAsync();
            await Answers.ExpectAsync(await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings",
                new { purpose = "suivi" }), 200);
        }

        var all = await service.GetJsonAsync<JsonElement>(council.Auditeur, $"{council.Api}/journal/entries?pageSize=200");
        var total = all.GetProperty("totalCount").GetInt64();
        Assert.True(total >= 3);
        Assert.Equal(total, all.GetProperty("items").GetArrayLength());
        Assert.False(all.GetProperty("totalCountCapped").GetBoolean());
        Assert.False(all.GetProperty("hasNextPage").GetBoolean());

        var first = await service.GetJsonAsync<JsonElement>(council.Auditeur, $"{council.Api}/journal/entries?pageSize=2");
        Assert.Equal(total, first.GetProperty("totalCount").GetInt64());
        Assert.True(first.GetProperty("hasNextPage").GetBoolean());
        var last = await service.GetJsonAsync<JsonElement>(council.Auditeur, $"{council.Api}/journal/entries?pageSize=2&page={(total + 1) / 2}");
        Assert.False(last.GetProperty("hasNextPage").GetBoolean());

        using var client = await service.PageClientAsync(council.Auditeur);
        var html = await client.GetStringAsync($"/c/{council.Code}/journal");
        Assert.Contains($"{total} entrées", html);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Statistics;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;

namespace CaseExchange.Tests.Statistics;

public sealed class StatisticsFixture : SeanceCouncilFixture
{
    // Refers through a second service, its clock last month, on its database.
    protected override bool OwnHost => true;

    public List<TestPerson> Persons { get; } = [];
    public Guid SeanceId { get; private set; }
    public IReadOnlyList<Guid> Referred { get; private set; } = [];

    /// <summary>
    /// Eight situations referred in the last closed month: six in the north, two in the south (a small count); two reasons
    /// for five of them, three for two.
    /// </summary>
    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        var steps = new SeanceSteps(service, Council);
        SeanceId = await steps.ScheduleAsync();
        var referrals = new List<object>();
        for (var i = 0; i < 8; i++)
        {
            var person = TestPerson.Distinctive($"Stat{i}");
            Persons.Add(person);
            referrals.Add(new
            {
                groupId = Council.GroupA,
                reasons = new[] { "decrochage-scolaire", "violences-intrafamiliales", "errance" }.Take(i < 3 ? 1 : i < 6 ? 2 : 3),
                sector = i < 6 ? "nord" : "sud",
                urgency = "normale",
                persons = new[] { person.AsRequest("personne-suivie") },
                facts = $"Faits FaitsSecretsAbc {person.Nom}",
            });
        }
        Referred = await PastReferrals.ReferAsync(service, Council.MemberOfHoldingGroup, Council.Api, referrals);
        foreach (var id in Referred.Take(2)) await steps.PlaceAsync(id, SeanceId);
        await Answers.ExpectAsync(await steps.RecordAttendanceAsync(SeanceId, [Council.Animateur]), 200);
    }
}

public sealed class StatisticsEndpointTests(StatisticsFixture fixture) : IClassFixture<StatisticsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private static string ThisYear => PastReferrals.Period;

    [Fact]
    public async Task The_president_reads_statistics_without_any_identity_nor_any_count_below_the_threshold()
    {
        var response = await Service.GetAsync(Council.President, $"{Council.Api}/statistics?{ThisYear}");
        await Answers.ExpectAsync(response, 200);
        var raw = await response.Content.ReadAsStringAsync();
        Leaks.AssertNone(raw, [.. fixture.Persons.SelectMany(Leaks.Of), .. Leaks.Secrets], "the statistics");

        var report = JsonSerializer.Deserialize<StatisticsReport>(raw, Json.Options)!;
        Assert.Equal(8, report.Situations);
        Assert.Equal(5, report.Threshold);
        foreach (var cell in report.Tables.SelectMany(t => t.Cells))
        {
            Assert.False(cell.Count is > 0 and < 5, $"{cell.Code} = {cell.Count} is published");
            Assert.Equal(cell.Suppressed, cell.Count is null);
        }
        Assert.Empty(DisclosureAttack.RecomputableSuppressedCells(report));

        // Two in the south is a small count; the north goes with it, or the south would be 8 - 6.
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.ToDictionary(c => c.Code);
        Assert.True(sectors["sud"].Suppressed);
        Assert.True(sectors["nord"].Suppressed);
        // Labels come from the charter's lists, ready for a chart.
        Assert.Contains(report.Tables.Single(t => t.Code == StatisticsTables.Reasons).Cells,
            c => c.Label == "Décrochage ou absentéisme scolaire" && c.Count == 8);
        Assert.Null(report.MedianDaysToFirstExamination);
    }

    [Fact]
    public async Task Only_the_coordonnateur_and_the_president_read_statistics()
    {
        await Answers.ExpectAsync(await Service.GetAsync(Council.Coordonnateur, $"{Council.Api}/statistics?{ThisYear}"), 200);
        foreach (var subject in new[] { Council.Animateur, Council.MemberOfHoldingGroup, Council.Auditeur, Council.MemberOfOtherGroup })
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/statistics?{ThisYear}"), 403);
    }

    [Fact]
    public async Task The_president_gets_403_on_situations_and_CRs()
    {
        var situations = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations");
        var situationId = situations.GetProperty("items")[0].GetProperty("situationId").GetGuid();
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/situations"), 403);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/situations/{situationId}"), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.President, $"{Council.Api}/situations/{situationId}/file-openings",
            new { purpose = "suivi" }), 403);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/seances/{fixture.SeanceId}/compte-rendu"), 403);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/seances/{fixture.SeanceId}/compte-rendu/1/html"), 403);
    }

    [Theory]
    [InlineData("from=2026-01-15&to=2026-03-31", "from")]
    [InlineData("from=2026-01-01&to=2026-03-30", "to")]
    [InlineData("from=2026-04-01&to=2026-03-31", "to")]
    [InlineData("from=2020-01-01&to=2025-12-31", "to")]
    public async Task A_period_is_whole_calendar_months(string query, string field)
    {
        var problem = await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/statistics?{query}"), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_period_with_fewer_situations_than_the_threshold_publishes_no_count()
    {
        var report = await Service.GetJsonAsync<StatisticsReport>(Council.President, $"{Council.Api}/statistics?from=2020-01-01&to=2020-12-31");
        Assert.Null(report.Situations);
        Assert.All(report.Tables.SelectMany(t => t.Cells), c => Assert.True(c.Suppressed));
    }

    [Fact]
    public async Task The_current_month_is_never_published()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var query = $"from={thisMonth:yyyy-MM-dd}&to={thisMonth.AddMonths(1).AddDays(-1):yyyy-MM-dd}";
        var problem = await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/statistics?{query}"), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));

        // Without a period, the report ends with the last closed month.
        var report = await Service.GetJsonAsync<StatisticsReport>(Council.President, $"{Council.Api}/statistics");
        Assert.Equal(thisMonth.AddDays(-1), report.To);
        // ... and covers the last complete year: the twelve closed months.
        Assert.Equal(thisMonth.AddMonths(-12), report.From);
    }

    [Fact]
    public async Task Two_readings_of_a_closed_period_do_not_differ_by_a_new_referral_nor_by_a_later_step()
    {
        var before = (await Service.GetJsonAsync<JsonElement>(Council.President, $"{Council.Api}/statistics?{ThisYear}")).GetRawText();
        await fixture.Steps.ReferredAsync();
        // A situation of the closed period is examined today: its delay belongs to the current month.
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{fixture.Referred[0]}/examinations", new
        {
            seanceId = fixture.SeanceId, discussionSummary = "Échanges fictifs", expectedVersion = 2,
            decisions = new[] { new { kind = "reexamen" } },
        });

        var after = (await Service.GetJsonAsync<JsonElement>(Council.President, $"{Council.Api}/statistics?{ThisYear}")).GetRawText();
        Assert.Equal(before, after);
    }
}

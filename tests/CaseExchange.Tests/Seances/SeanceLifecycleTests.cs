using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Seances;

public sealed class SeanceLifecycleFixture : SeanceCouncilFixture;

public sealed class SeanceLifecycleTests(SeanceLifecycleFixture fixture) : IClassFixture<SeanceLifecycleFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public async Task A_seance_is_scheduled_gets_its_ODJ_attendance_examinations_and_closes_postponing_what_was_not_examined()
    {
        var first = await Council.ReferAsync(Service, TestPerson.Distinctive("Vie1"), "Faits FaitsSecretsAbc.");
        var second = await Council.ReferAsync(Service, TestPerson.Distinctive("Vie2"), "Faits FaitsSecretsAbc.");
        var seanceId = await Steps.ScheduleAsync();
        await Steps.PlaceAsync(first.Id, seanceId);
        await Steps.PlaceAsync(second.Id, seanceId);

        var published = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Steps.Api}/seances/{seanceId}/agenda-publication",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) });
        Assert.Equal(2, published.GetProperty("situationIds").GetArrayLength());

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur, Council.MemberOfHoldingGroup],
            [Council.Coordonnateur, Council.UnsignedMember], [new { partnerId = await Steps.PartnerAsync() }]), 200);
        await Answers.ExpectAsync(await Steps.ExamineAsync(first.Id, seanceId, "orientation"), 200);

        var closure = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Steps.Api}/seances/{seanceId}/closure",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) });
        Assert.Equal([second.Pseudonym], closure.GetProperty("postponed").EnumerateArray().Select(p => p.GetString()));

        var view = await Steps.ViewAsync(seanceId, Council.MemberOfHoldingGroup);
        Assert.True(view.GetProperty("closed").GetBoolean());
        var items = view.GetProperty("ordreDuJour").EnumerateArray().ToDictionary(i => i.GetProperty("pseudonym").GetString()!, i => i);
        Assert.Equal("examinee", items[first.Pseudonym].GetProperty("state").GetString());
        Assert.Equal("reportee", items[second.Pseudonym].GetProperty("state").GetString());
        Assert.True(items[first.Pseudonym].GetProperty("onPublishedAgenda").GetBoolean());
        Assert.Equal(2, view.GetProperty("attendance").GetProperty("nominativePart").GetArrayLength());
        Leaks.AssertNone(view.GetRawText(), [.. Leaks.Of(TestPerson.Distinctive("Vie1")), .. Leaks.Of(TestPerson.Distinctive("Vie2")), .. Leaks.Secrets], "the séance view");

        // The postponed situation is free to go on a later séance.
        var next = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(14));
        await Steps.PlaceAsync(second.Id, next);
        var situation = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Steps.Api}/situations/{second.Id}");
        Assert.Equal("inscrite-odj", situation.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Commands_out_of_order_are_refused_and_change_nothing()
    {
        var situation = await Council.ReferAsync(Service, TestPerson.Distinctive("Ord"), "Faits.");
        var seanceId = await Steps.ScheduleAsync();
        await Steps.PlaceAsync(situation.Id, seanceId);

        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Steps.CloseAsync(seanceId), 409); // no attendance yet
        await Answers.ProblemAsync(await Steps.GenerateAsync(seanceId, "Synthèse."), 409); // not closed yet
        var future = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var afterScheduling = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(future, [Council.Animateur]), 409); // séance not held yet
        await Answers.ProblemAsync(await Steps.CloseAsync(future), 409);
        Assert.Equal(afterScheduling, await Service.EventCountAsync());
        Assert.Equal(before + 1, afterScheduling);

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.CloseAsync(seanceId), 200);
        var closed = await Service.EventCountAsync();

        var attendance = await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur, Council.MemberOfHoldingGroup]), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", attendance.GetProperty("type").GetString());
        var examination = await Answers.ProblemAsync(await Steps.ExamineAsync(situation.Id, seanceId), 409);
        Assert.Contains("close", examination.GetProperty("detail").GetString());
        await Answers.ProblemAsync(await Steps.CloseAsync(seanceId), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Steps.Api}/seances/{seanceId}/agenda-publication",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) }), 409);
        var other = await Council.ReferAsync(Service, TestPerson.Distinctive("Ord2"), "Faits.");
        var afterReferral = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Steps.Api}/situations/{other.Id}/agenda",
            new { seanceId, expectedVersion = 1 }), 409);
        Assert.Equal(afterReferral, await Service.EventCountAsync());
        Assert.Equal(closed + 1, afterReferral);
    }

    [Fact]
    public async Task Only_members_of_the_group_who_signed_the_charter_are_recorded_at_the_nominative_part()
    {
        var seanceId = await Steps.ScheduleAsync();
        foreach (var (subject, reason) in new[]
                 {
                     (Council.UnsignedMember, "charte"), (Council.MemberOfOtherGroup, "n'appartient pas"), (Council.Coordonnateur, "n'appartient pas"),
                     (Council.RemovedMember, "n'appartient pas"),
                 })
        {
            var problem = await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur, subject]), 400);
            var message = problem.GetProperty("errors").GetProperty("nominativePart[1]")[0].GetString();
            Assert.Contains(reason, message);
            Assert.Contains("partie générale", message);
        }

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur, Council.MemberOfHoldingGroup],
            [Council.UnsignedMember, Council.MemberOfOtherGroup, Council.Coordonnateur]), 200);
        var attendance = (await Steps.ViewAsync(seanceId)).GetProperty("attendance");
        Assert.Equal(2, attendance.GetProperty("nominativePart").GetArrayLength());
        Assert.Equal(3, attendance.GetProperty("generalPartOnly").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_coordonnateur_or_the_animateur_prepares_a_seance()
    {
        var seanceId = await Steps.ScheduleAsync(by: Council.Animateur);
        await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur], by: Council.MemberOfHoldingGroup), 403);
        await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur], by: Council.MemberOfOtherGroup), 403);
        await Answers.ProblemAsync(await Steps.CloseAsync(seanceId, by: Council.MemberOfHoldingGroup), 403);
        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur], by: Council.Animateur), 200);
    }

    [Fact]
    public async Task A_stale_seance_version_is_a_conflict()
    {
        var seanceId = await Steps.ScheduleAsync();
        var response = await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Steps.Api}/seances/{seanceId}/attendance",
            new { nominativePart = new[] { Council.Id(Council.Animateur) }, expectedVersion = 7 });
        var problem = await Answers.ProblemAsync(response, 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_president_cannot_see_a_seance()
    {
        var seanceId = await Steps.ScheduleAsync();
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Steps.Api}/seances/{seanceId}"), 403);
    }
}

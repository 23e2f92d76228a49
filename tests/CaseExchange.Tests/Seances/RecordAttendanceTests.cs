using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Seances;
using CaseExchange.Seances.Attendance;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class RecordAttendanceFixture : SeanceCouncilFixture;

/// <summary>Recording attendance (règlement, article 8): check and decision without a database, then the 400 and 409 answers.</summary>
public sealed class RecordAttendanceTests(RecordAttendanceFixture fixture) : IClassFixture<RecordAttendanceFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    private static readonly Guid Mediation = Guid.CreateVersion7();
    private static readonly Member InGroup = Member("Membre du groupe");
    private static readonly Member Unsigned = Member("Sans signature", signed: false);
    private static readonly Member Outsider = Member("Hors du groupe");
    private static readonly Member Gone = Member("Parti", active: false);
    private static readonly Group TheGroup = Group(InGroup, Unsigned, Gone);
    private static readonly Council TheCouncil = Council((Mediation, "Association de quartier", "mediateur"));
    private static readonly Dictionary<Guid, Member> Members = new[] { InGroup, Unsigned, Outsider, Gone }.ToDictionary(m => m.Id);

    private static IReadOnlyCollection<string> FieldsOf(RecordAttendance command) =>
        Fields(RecordAttendanceUseCase.Check(command, Members, TheCouncil, TheGroup, Policy));

    [Fact]
    public void Members_of_the_group_under_the_charter_attend_the_nominative_part_everyone_else_the_general_part_only()
    {
        Assert.Empty(FieldsOf(new RecordAttendance([InGroup.Id], [Unsigned.Id, Outsider.Id], [new GuestInput(Mediation)], 1)));
        Assert.Equal(["nominativePart[0]", "nominativePart[1]"], FieldsOf(new RecordAttendance([Unsigned.Id, Outsider.Id], [], [], 1)));
    }

    [Fact]
    public void The_lists_name_someone_each_at_most_once_among_active_members_and_partners_of_the_directory()
    {
        Assert.Equal(["nominativePart"], FieldsOf(new RecordAttendance(null, null, null, 1)));
        Assert.Equal(["generalPartOnly"], FieldsOf(new RecordAttendance([InGroup.Id], [InGroup.Id], [], 1)));
        Assert.Equal(["nominativePart[0]", "generalPartOnly[0]"], FieldsOf(new RecordAttendance([Gone.Id], [Guid.CreateVersion7()], [], 1)));
        Assert.Equal(["guests[0].partnerId", "guests[1].partnerId"],
            FieldsOf(new RecordAttendance([InGroup.Id], [], [new GuestInput(null), new GuestInput(Guid.CreateVersion7())], 1)));
        var crowd = Enumerable.Range(0, RecordAttendanceUseCase.MaxPerList + 1).Select(_ => new GuestInput(Mediation)).ToList();
        Assert.Equal(["guests"], FieldsOf(new RecordAttendance([InGroup.Id], [], crowd, 1)));
    }

    [Fact]
    public void The_decision_copies_each_guest_from_the_directory_on_the_day_of_an_open_seance()
    {
        var seance = Seance(TheGroup);
        var recorded = RecordAttendanceUseCase.Decide(seance, new RecordAttendance([InGroup.Id], [Outsider.Id], [new GuestInput(Mediation)], 1),
            TheCouncil, Policy, Author, Now);
        Assert.Equal([InGroup.Id], recorded.NominativePart);
        Assert.Equal([Outsider.Id], recorded.GeneralPartOnly);
        Assert.Equal([new Guest("Association de quartier", Policy.PartnerRoles.LabelOf("mediateur"))], recorded.Guests);
        Assert.Equal((seance.Id, Author, Now), (recorded.SeanceId, recorded.RecordedBy, recorded.At));
    }

    [Fact]
    public void Attendance_is_refused_before_the_seance_took_place_and_once_it_is_closed()
    {
        var command = new RecordAttendance([InGroup.Id], [], [], 1);
        Assert.Contains("pas encore eu lieu", OutOfOrder(() =>
            RecordAttendanceUseCase.Decide(Seance(TheGroup, Now.AddDays(1)), command, TheCouncil, Policy, Author, Now)));
        Assert.Contains("close", OutOfOrder(() =>
            RecordAttendanceUseCase.Decide(Seance(TheGroup, closed: true), command, TheCouncil, Policy, Author, Now)));
        // Later the same day in Paris is the same day.
        RecordAttendanceUseCase.Decide(Seance(TheGroup, Now.AddHours(5)), command, TheCouncil, Policy, Author, Now);
    }

    [Fact]
    public async Task An_outsider_at_the_nominative_part_is_refused_with_400_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync();
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur, Council.MemberOfOtherGroup]), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("nominativePart[1]", out _));
        await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(seanceId, []), 400);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Attendance_before_the_day_or_on_a_stale_version_is_refused_with_409_and_nothing_is_appended()
    {
        var future = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(3));
        var today = await Steps.ScheduleAsync();
        var before = await Service.EventCountAsync();

        var early = await Answers.ProblemAsync(await Steps.RecordAttendanceAsync(future, [Council.Animateur]), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", early.GetProperty("type").GetString());
        var stale = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{today}/attendance",
            new { nominativePart = new[] { Council.Id(Council.Animateur) }, expectedVersion = 7 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }
}

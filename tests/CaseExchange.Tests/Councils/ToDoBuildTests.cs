using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.ToDo;
using CaseExchange.Seances;
using CaseExchange.Situations;

namespace CaseExchange.Tests.Councils;

/// <summary>The dashboard's pure part: ordering and boundaries, from projections built by hand.</summary>
public sealed class ToDoBuildTests
{
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly Group Group = new() { Id = Guid.CreateVersion7(), Name = "GT test" };

    private static Seance SeanceAt(DateTimeOffset date, bool closed = false) =>
        new() { Id = Guid.CreateVersion7(), GroupId = Group.Id, Date = date, ClosedAt = closed ? date.AddHours(2) : null };

    private static Situation ClosedOn(DateTimeOffset closedAt, string pseudonym) => new()
    {
        Id = Guid.CreateVersion7(), Pseudonym = pseudonym, GroupId = Group.Id, ReferredAt = closedAt.AddMonths(-6),
        FirstExaminedAt = closedAt.AddMonths(-5), LastExaminedAt = closedAt.AddMonths(-5), ExaminationCount = 1, ClosedAt = closedAt,
    };

    private static ToDoList Build(IReadOnlyList<Seance> seances, IReadOnlyList<Situation> situations) =>
        ToDoUseCase.Build(new ToDoInputs([Group], seances, situations, [], null), wholeCouncil: true, Now, Policy);

    [Fact]
    public void Next_seances_start_with_today_and_leave_out_past_and_closed_ones()
    {
        var yesterday = SeanceAt(Now.AddDays(-1));
        var nextWeek = SeanceAt(Now.AddDays(7));
        var thisMorning = SeanceAt(Now.AddHours(-2));
        var closedToday = SeanceAt(Now.AddHours(-1), closed: true);
        var next = Build([nextWeek, yesterday, closedToday, thisMorning], []).Of(ToDoKinds.NextSeance);
        Assert.Equal([$"seances/{thisMorning.Id}", $"seances/{nextWeek.Id}"], next.Select(l => l.Link));
        Assert.StartsWith("aujourd'hui, ", next[0].Detail);
    }

    [Fact]
    public void An_erasure_is_listed_from_30_days_before_the_end_of_the_archive()
    {
        var years = Policy.Retention.InactiveArchiveYears;
        var within = ClosedOn(Now.AddYears(-years).AddDays(29), "S-IN");
        var beyond = ClosedOn(Now.AddYears(-years).AddDays(31), "S-OUT");
        Assert.Equal(["S-IN"], Build([], [within, beyond]).Of(ToDoKinds.ErasureDue).Select(l => l.Subject));
    }

    [Fact]
    public void A_situation_is_inactive_a_year_after_its_last_dated_step_and_a_closed_one_never()
    {
        var quiet = new Situation { Id = Guid.CreateVersion7(), Pseudonym = "S-QUIET", GroupId = Group.Id, ReferredAt = Now.AddDays(-400) };
        var recent = new Situation { Id = Guid.CreateVersion7(), Pseudonym = "S-RECENT", GroupId = Group.Id, ReferredAt = Now.AddDays(-400),
            LastExaminedAt = Now.AddDays(-30), FirstExaminedAt = Now.AddDays(-30) };
        var closed = ClosedOn(Now.AddDays(-400), "S-CLOSED");
        var list = Build([], [quiet, recent, closed]);
        Assert.Equal(["S-QUIET"], list.Of(ToDoKinds.Inactive).Select(l => l.Subject));
        Assert.Equal(["S-QUIET"], list.Of(ToDoKinds.NotExamined).Select(l => l.Subject));
    }
}

using CaseExchange.Councils;
using CaseExchange.Councils.ToDo;
using CaseExchange.Situations.Notices;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The « À faire » line of pending notices, pure: not informed nor deferred, or deferred and due for review; by role, never a name.</summary>
public sealed class PendingNoticeToDoTests
{
    private static IReadOnlyList<ToDoLine> Lines(SituationHistory history, DateTimeOffset now) =>
        ToDoUseCase.Build(new ToDoInputs([new Group { Id = history.GroupId, Name = "GT test" }], [], [history.Situation], [], null), true, now, Policy)
            .Of(ToDoKinds.PendingNotice);

    [Fact]
    public void A_deferral_hides_the_line_until_its_review_date_and_the_information_for_good()
    {
        var history = Referred();
        var person = history.Situation.Notices[0].PersonId;
        var line = Assert.Single(Lines(history, Now));
        Assert.Equal("GT test — personne suivie à informer", line.Detail);
        Assert.Equal($"situations/{history.Id}/information", line.Link);

        history.Situation.Apply(new InformationDeferred(history.Id, person, "enquete-en-cours", Today.AddDays(20), history.ActorId, Now));
        Assert.Empty(Lines(history, Now));
        Assert.Contains("report à réexaminer", Assert.Single(Lines(history, Now.AddDays(21))).Detail);

        history.Situation.Apply(new PersonInformed(history.Id, person, Today.AddDays(21), "courrier", history.ActorId, Now.AddDays(21)));
        Assert.Empty(Lines(history, Now.AddDays(400)));
    }

    [Fact]
    public void A_closed_situation_has_no_pending_notice_line()
    {
        Assert.Empty(Lines(Referred().Examined(Guid.NewGuid()).Closed(), Now));
    }
}

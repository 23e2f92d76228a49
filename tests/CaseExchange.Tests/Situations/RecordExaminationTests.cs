using System.Text.Json;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Situations.Examination;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The examination's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class RecordExaminationTests
{
    private static Seance OpenSeance() => new() { Id = Guid.CreateVersion7(), Date = Now };

    private static RecordExamination Command(Guid seanceId, string? summary = "Échanges", params DecisionInClear[] decisions) =>
        new(seanceId, summary, decisions.Length == 0 ? [new DecisionInClear("orientation", null)] : decisions, 2);

    [Fact]
    public void Check_passes_a_summary_and_decisions_of_the_charter_in_a_known_seance()
    {
        var seance = OpenSeance();
        Assert.Empty(ErrorsOf(RecordExaminationUseCase.Check(Command(seance.Id, "Échanges", new("orientation", null), new("suivi-renforce", "Détail")), seance, Policy)));
    }

    [Fact]
    public void Check_refuses_a_missing_seance_summary_and_decision()
    {
        var errors = ErrorsOf(RecordExaminationUseCase.Check(new RecordExamination(Guid.Empty, null, [], 2), null, Policy));
        Assert.Equal(["Indiquez la séance au cours de laquelle la situation a été examinée."], errors["seanceId"]);
        Assert.Equal(["Le résumé des échanges est obligatoire."], errors["discussionSummary"]);
        Assert.Equal(["Indiquez au moins une décision."], errors["decisions"]);
    }

    [Fact]
    public void Check_refuses_an_unknown_seance_a_decision_outside_the_list_and_a_detail_too_long()
    {
        var errors = ErrorsOf(RecordExaminationUseCase.Check(
            Command(Guid.NewGuid(), "Échanges", new("orientation", null), new("garde-a-vue", new string('x', RecordExaminationUseCase.MaxDetailLength + 1))),
            null, Policy));
        Assert.Equal(["Séance introuvable dans ce conseil."], errors["seanceId"]);
        Assert.False(errors.ContainsKey("decisions[0].kind"));
        Assert.True(errors.ContainsKey("decisions[1].kind"));
        Assert.True(errors.ContainsKey("decisions[1].detail"));
    }

    [Fact]
    public void Decide_records_the_examination_with_summary_and_details_sealed()
    {
        var seance = OpenSeance();
        var history = Referred().OnAgenda(seance.Id);
        var examined = RecordExaminationUseCase.Decide(history.Situation, seance,
            Command(seance.Id, " Échanges du groupe ", new("orientation", null), new("suivi-renforce", " Détail ")), history.Sealer, history.ActorId, Now);

        Assert.Equal((history.Id, seance.Id, history.ActorId, Now), (examined.SituationId, examined.SeanceId, examined.RecordedBy, examined.At));
        Assert.Equal("Échanges du groupe", history.Open(SealedFields.DiscussionSummary, examined.DiscussionSummary));
        Assert.Equal(["orientation", "suivi-renforce"], examined.Decisions.Select(d => d.Kind));
        Assert.Null(examined.Decisions[0].Detail);
        Assert.Equal("Détail", history.Open(SealedFields.DecisionDetail, examined.Decisions[1].Detail!));

        history.Situation.Apply(examined);
        Assert.Equal(1, history.Situation.ExaminationCount);
        Assert.True(history.Situation.Agenda.Single().Examined);
    }

    [Fact]
    public void Decide_refuses_a_closed_seance_a_situation_not_on_its_agenda_examined_or_postponed_there_and_a_closed_situation()
    {
        var seance = OpenSeance();
        var command = Command(seance.Id);
        string Refusal(SituationHistory h, Seance s) =>
            OutOfOrder(() => RecordExaminationUseCase.Decide(h.Situation, s, command, h.Sealer, h.ActorId, Now));

        var onAgenda = Referred().OnAgenda(seance.Id);
        Assert.Contains("séance est close", Refusal(onAgenda, new Seance { Id = seance.Id, ClosedAt = Now.AddHours(-1) }));
        Assert.Contains("n'est pas inscrite à l'ordre du jour", Refusal(Referred(), seance));
        Assert.Contains("déjà été examinée", Refusal(Referred().OnAgenda(seance.Id).Examined(seance.Id), seance));
        Assert.Contains("reporté", Refusal(Referred().OnAgenda(seance.Id).Postponed(seance.Id), seance));
        Assert.Contains("clôturée ne peut plus être examinée", Refusal(Referred().OnAgenda(seance.Id).Closed(), seance));
        Assert.Contains("clôturée ne peut plus être examinée", Refusal(Referred().OnAgenda(seance.Id).Erased(), seance));
    }
}

public sealed class RecordExaminationHttpFixture : CouncilFixture;

public sealed class RecordExaminationHttpTests(RecordExaminationHttpFixture fixture) : IClassFixture<RecordExaminationHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task An_examination_without_summary_or_decision_gets_a_validation_problem_and_appends_nothing()
    {
        var (id, seance) = await fixture.Steps.OnAgendaAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/examinations",
            new { seanceId = seance, discussionSummary = "", decisions = new[] { new { kind = "inconnue" } }, expectedVersion = 2 }), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("discussionSummary", out _));
        Assert.True(errors.TryGetProperty("decisions[0].kind", out _));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task An_examination_from_a_stale_version_gets_409_with_the_current_version()
    {
        var (id, seance) = await fixture.Steps.OnAgendaAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/examinations",
            new { seanceId = seance, discussionSummary = "Échanges", decisions = new[] { new { kind = "orientation" } }, expectedVersion = 1 }), 409);

        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task Examining_twice_in_the_same_seance_gets_409_out_of_order()
    {
        var (id, seance) = await fixture.Steps.OnAgendaAsync();
        var body = new { seanceId = seance, discussionSummary = "Échanges", decisions = new[] { new { kind = "orientation" } }, expectedVersion = 2 };
        var first = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/examinations", body);
        Assert.Equal(3, first.GetProperty("version").GetInt64());

        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/examinations",
            body with { expectedVersion = 3 }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Equal("La situation a déjà été examinée lors de cette séance.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }
}

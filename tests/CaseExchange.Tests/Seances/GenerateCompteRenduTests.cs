using CaseExchange.Protection;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class GenerateCompteRenduFixture : SeanceCouncilFixture;

/// <summary>Drawing up a CR version: checks and decision without a database, then the 400 and 409 answers.</summary>
public sealed class GenerateCompteRenduTests(GenerateCompteRenduFixture fixture) : IClassFixture<GenerateCompteRenduFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void The_free_texts_are_bounded_and_each_note_is_written_once_per_situation()
    {
        var situation = Guid.CreateVersion7();
        Assert.Empty(Fields(GenerateCompteRenduUseCase.Check(new GenerateCompteRendu(null, null, null, 1))));
        Assert.Equal(["synthese", "prochainesEtapes"], Fields(GenerateCompteRenduUseCase.Check(new GenerateCompteRendu(
            new string('a', CompteRenduGenerator.MaxSyntheseLength + 1), new string('b', CompteRenduGenerator.MaxProchainesEtapesLength + 1), [], 1))));
        Assert.Equal(["notes", "notes[1].text"], Fields(GenerateCompteRenduUseCase.Check(new GenerateCompteRendu(null, null,
            [new SituationNote(situation, "Une note."), new SituationNote(situation, " ")], 1))));
    }

    [Fact]
    public void A_note_is_about_a_situation_the_seance_examined()
    {
        var examined = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        IReadOnlyList<SituationNote> notes = [new(examined, "Note."), new(other, "Note.")];
        Assert.Equal(["notes[1].situationId"], Fields(GenerateCompteRenduUseCase.CheckNotes(notes, new HashSet<Guid> { examined })));
    }

    [Fact]
    public void The_decision_keeps_only_the_sealed_content_and_its_hash_of_a_closed_seance()
    {
        var group = Group();
        var content = new CompteRenduContent("Conseil", "GT Centre", Now, 1, Now, [], [], [], [], "Synthèse.", null);
        var sealedContent = new SealedText("v1:BBBB");
        var generated = GenerateCompteRenduUseCase.Decide(Seance(group, closed: true), content, sealedContent, Author, Now);
        Assert.Null(generated.Content);
        Assert.Equal((1, content.Hash(), sealedContent, Author, Now), (generated.Number, generated.ContentHash, generated.SealedContent, generated.GeneratedBy, generated.At));

        Assert.Contains("clôturez-la", OutOfOrder(() => GenerateCompteRenduUseCase.Decide(Seance(group, attendance: true), content, sealedContent, Author, Now)));
    }

    private async Task<Guid> ClosedSeanceAsync()
    {
        var seanceId = await Steps.ScheduleAsync();
        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.CloseAsync(seanceId), 200);
        return seanceId;
    }

    [Fact]
    public async Task Texts_too_long_or_a_note_on_a_situation_not_examined_are_refused_with_400_and_nothing_is_appended()
    {
        var seanceId = await ClosedSeanceAsync();
        var before = await Service.EventCountAsync();
        var tooLong = await Answers.ProblemAsync(await Steps.GenerateAsync(seanceId, new string('a', CompteRenduGenerator.MaxSyntheseLength + 1)), 400);
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("synthese", out _));
        var notExamined = await Answers.ProblemAsync(await Steps.GenerateAsync(seanceId,
            notes: [new { situationId = Guid.CreateVersion7(), text = "Une note." }]), 400);
        Assert.True(notExamined.GetProperty("errors").TryGetProperty("notes[0].situationId", out _));
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_CR_of_an_open_seance_or_on_a_stale_version_is_refused_with_409_and_nothing_is_appended()
    {
        var open = await Steps.ScheduleAsync();
        var closed = await ClosedSeanceAsync();
        var before = await Service.EventCountAsync();
        var notClosed = await Answers.ProblemAsync(await Steps.GenerateAsync(open, "Synthèse."), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", notClosed.GetProperty("type").GetString());
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{closed}/compte-rendu",
            new { synthese = "Synthèse.", expectedVersion = 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Situations.Viewing;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>
/// The file opening's pure parts: the request's check and the journal entry of an attempt. Its journalled answers through
/// HTTP (403, 400, 410, 503) are in <c>Journal/FileOpeningJournalTests</c>.
/// </summary>
public sealed class OpenFileTests
{
    private const string Detail = "Réquisition du parquet reçue le 2 mars";

    [Fact]
    public void Check_needs_a_purpose_of_the_charter()
    {
        var open = Referred().Situation;
        Assert.Empty(ErrorsOf(OpenFileUseCase.Check(new OpenFile("suivi", null), open, Policy)));
        Assert.Equal(["Indiquez le motif de la consultation, choisi dans la liste de la charte."],
            ErrorsOf(OpenFileUseCase.Check(new OpenFile("curiosite", null), open, Policy))["purpose"]);
    }

    [Fact]
    public void Check_of_a_closed_situation_needs_an_archive_reason_of_the_list_and_an_explicit_justification()
    {
        var closed = Referred().Examined(Guid.NewGuid()).Closed().Situation;
        Assert.Empty(ErrorsOf(OpenFileUseCase.Check(new OpenFile("suivi", new ArchiveAccessReason("requisition-judiciaire", Detail)), closed, Policy)));

        var errors = ErrorsOf(OpenFileUseCase.Check(new OpenFile("suivi", new ArchiveAccessReason("envie", "Pour voir")), closed, Policy));
        Assert.Equal(["Le motif d'accès à l'archive doit être choisi dans la liste."], errors["archiveReason.code"]);
        Assert.Equal([$"La justification écrite doit être explicite ({OpenFileUseCase.MinArchiveDetailLength} caractères au moins)."],
            errors["archiveReason.detail"]);
        Assert.Equal(["La justification écrite est obligatoire."],
            ErrorsOf(OpenFileUseCase.Check(new OpenFile("suivi", new ArchiveAccessReason("contentieux", null)), closed, Policy))["archiveReason.detail"]);
    }

    [Fact]
    public void The_attempt_journals_only_codes_of_the_lists_never_what_the_requester_typed()
    {
        var history = Referred().Examined(Guid.NewGuid()).Closed();
        var member = new Member { Id = Guid.CreateVersion7(), Active = true };
        var attempt = OpenFileUseCase.Attempt(new OpenFile("tapé librement", new ArchiveAccessReason("requisition-judiciaire", Detail)),
            history.Situation, member, "sujet", Policy, AccessVerdict.Granted);

        Assert.Equal((JournalActions.ArchiveOpening, history.Id, "S-2026-0001", member.Id, "sujet"),
            (attempt.Action, attempt.SituationId, attempt.Pseudonym, attempt.MemberId, attempt.Subject));
        Assert.Null(attempt.Purpose);
        Assert.Equal("requisition-judiciaire", attempt.ArchiveReasonCode);
        Assert.Null(attempt.ArchiveReasonDetail);
        Assert.False(attempt.Granted);
    }

    [Fact]
    public void The_attempt_of_an_outsider_on_an_open_situation_carries_the_refusal()
    {
        var history = Referred();
        var attempt = OpenFileUseCase.Attempt(new OpenFile("suivi", new ArchiveAccessReason("requisition-judiciaire", Detail)),
            history.Situation, null, "inconnu", Policy, AccessVerdict.Refused(Refusals.NotACouncilMember));

        Assert.Equal((JournalActions.FileOpening, (Guid?)null, "suivi", (string?)null, Refusals.NotACouncilMember),
            (attempt.Action, attempt.MemberId, attempt.Purpose, attempt.ArchiveReasonCode, attempt.Refusal));
    }
}

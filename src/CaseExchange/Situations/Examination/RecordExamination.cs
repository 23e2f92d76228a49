using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Seances;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Examination;

/// <summary>NOMINATIVE, IN CLEAR until sealed: a decision's optional detail is free text.</summary>
public sealed record DecisionInClear(string? Kind, [property: JsonPropertyName("detail")] string? DetailInClear)
{
    public override string ToString() => "[décision nominative]";
}

/// <summary>NOMINATIVE, IN CLEAR until sealed: the discussion summary is free text.</summary>
public sealed record RecordExamination(
    Guid SeanceId,
    [property: JsonPropertyName("discussionSummary")] string? DiscussionSummaryInClear,
    IReadOnlyList<DecisionInClear>? Decisions,
    long? ExpectedVersion)
{
    public override string ToString() => "[examen nominatif]";
}

public static class RecordExaminationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/examinations", Summary = "Enregistrer l'examen en séance et ses décisions"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, RecordExamination command, CouncilRequest request, SituationKeys keys) =>
        RecordExaminationUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>Recording the group's examination of a situation in séance, and its decisions (animateur of the holding group or coordonnateur).</summary>
public static class RecordExaminationUseCase
{
    public const int MaxSummaryLength = 4000;
    public const int MaxDetailLength = 1000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, RecordExamination command, SituationKeys keys)
    {
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        var seance = command.SeanceId == Guid.Empty ? null : await request.Session.LoadAsync<Seance>(command.SeanceId, request.Cancellation);
        Check(command, seance, request.Policy).ThrowIfAny();
        // The state before the key: an erased situation answers 409, not the key's 410.
        RequireExaminable(target.Situation, seance!);

        var sealer = await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, seance!, command, sealer, request.Actor.Id, request.Now));
    }

    /// <summary>The form: a séance of this council, a summary, at least one decision from the charter's list.</summary>
    public static ValidationErrors Check(RecordExamination command, Seance? seance, CharterPolicy policy)
    {
        var errors = new ValidationErrors()
            .When(command.SeanceId == Guid.Empty, "seanceId", "Indiquez la séance au cours de laquelle la situation a été examinée.")
            .RequireText(command.DiscussionSummaryInClear, "discussionSummary", "Le résumé des échanges", MaxSummaryLength)
            .When(command.Decisions is not { Count: > 0 }, "decisions", "Indiquez au moins une décision.");
        for (var i = 0; i < (command.Decisions?.Count ?? 0); i++)
        {
            var decision = command.Decisions![i];
            errors.When(!policy.DecisionKinds.Has(decision.Kind), $"decisions[{i}].kind", "Le type de décision doit être choisi dans la liste de la charte.");
            errors.OptionalText(decision.DetailInClear, $"decisions[{i}].detail", "Le détail de la décision", MaxDetailLength);
        }
        return errors.When(command.SeanceId != Guid.Empty && seance is null, "seanceId", "Séance introuvable dans ce conseil.");
    }

    /// <summary>The examination, its summary and details sealed; only in an open séance whose agenda holds the situation.</summary>
    public static SituationExamined Decide(Situation situation, Seance seance, RecordExamination command, SituationSealer sealer,
        Guid actorId, DateTimeOffset now)
    {
        RequireExaminable(situation, seance);
        return new SituationExamined(situation.Id, seance.Id,
            sealer.Seal(SealedFields.DiscussionSummary, command.DiscussionSummaryInClear!.Trim()),
            [.. command.Decisions!.Select(d => new Decision(d.Kind!,
                string.IsNullOrWhiteSpace(d.DetailInClear) ? null : sealer.Seal(SealedFields.DecisionDetail, d.DetailInClear.Trim())))],
            actorId, now);
    }

    /// <summary>Pure: the state an examination needs (409 otherwise).</summary>
    public static void RequireExaminable(Situation situation, Seance seance)
    {
        if (seance.IsClosed) throw Problems.OutOfOrder("Cette séance est close : on ne peut plus y enregistrer d'examen.");
        RequireOnAgenda(situation, seance.Id);
    }

    public static void RequireOnAgenda(Situation situation, Guid seanceId)
    {
        if (situation.IsClosed || situation.IsErased) throw Problems.OutOfOrder("Une situation clôturée ne peut plus être examinée.");
        var entry = situation.Agenda.FirstOrDefault(a => a.SeanceId == seanceId)
                    ?? throw Problems.OutOfOrder("La situation n'est pas inscrite à l'ordre du jour de cette séance : inscrivez-la avant de l'examiner.");
        if (entry.Examined) throw Problems.OutOfOrder("La situation a déjà été examinée lors de cette séance.");
        if (entry.Postponed) throw Problems.OutOfOrder("L'examen de la situation a été reporté lors de la clôture de cette séance.");
    }
}

using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Seances;
using Marten;
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
    public static async Task<SituationChangedResponse> Post(string council, Guid situationId, RecordExamination command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        target.RequireLead(actor, policy);
        target.RequireVersion(command.ExpectedVersion);

        var errors = new ValidationErrors()
            .When(command.SeanceId == Guid.Empty, "seanceId", "Indiquez la séance au cours de laquelle la situation a été examinée.")
            .RequireText(command.DiscussionSummaryInClear, "discussionSummary", "Le résumé des échanges", 4000)
            .When(command.Decisions is not { Count: > 0 }, "decisions", "Indiquez au moins une décision.");
        for (var i = 0; i < (command.Decisions?.Count ?? 0); i++)
        {
            var decision = command.Decisions![i];
            errors.When(!policy.DecisionKinds.Has(decision.Kind), $"decisions[{i}].kind", "Le type de décision doit être choisi dans la liste de la charte.");
            errors.OptionalText(decision.DetailInClear, $"decisions[{i}].detail", "Le détail de la décision", 1000);
        }
        var seance = command.SeanceId == Guid.Empty ? null : await session.LoadAsync<Seance>(command.SeanceId);
        errors.When(command.SeanceId != Guid.Empty && seance is null, "seanceId", "Séance introuvable dans ce conseil.");
        errors.ThrowIfAny();
        if (seance!.IsClosed) throw Problems.OutOfOrder("Cette séance est close : on ne peut plus y enregistrer d'examen.");
        RequireOnAgenda(target.Situation, command.SeanceId);

        var cipher = await keys.SealerForAsync(session, situationId);
        var examined = new SituationExamined(situationId, command.SeanceId,
            cipher.Seal(SealedFields.DiscussionSummary, command.DiscussionSummaryInClear!.Trim()),
            [.. command.Decisions!.Select(d => new Decision(d.Kind!,
                string.IsNullOrWhiteSpace(d.DetailInClear) ? null : cipher.Seal(SealedFields.DecisionDetail, d.DetailInClear.Trim())))],
            actor.Id, clock.GetUtcNow());
        return target.Append(examined);
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

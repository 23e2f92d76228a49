using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Closure;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the optional comment is free text.</summary>
/// <param name="DespiteRunningActions">States that the situation is closed although one of its actions is still running.</param>
public sealed record CloseSituation(string? Outcome, [property: JsonPropertyName("comment")] string? CommentInClear, long? ExpectedVersion,
    bool DespiteRunningActions = false)
{
    public override string ToString() => "[clôture nominative]";
}

public static class CloseSituationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/closure", Summary = "Clôturer la situation"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, CloseSituation command, CouncilRequest request, SituationKeys keys) =>
        CloseSituationUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>Closing a situation with its outcome (animateur of the holding group or coordonnateur), once examined.</summary>
public static class CloseSituationUseCase
{
    public const int MaxCommentLength = 1000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, CloseSituation command, SituationKeys keys)
    {
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        Check(command, request.Policy).ThrowIfAny();
        // The state before the key: an erased situation answers 409, not the key's 410.
        RequireClosable(target.Situation);
        RequireNoRunningActionUnlessStated(target.Situation, command);

        var sealer = string.IsNullOrWhiteSpace(command.CommentInClear) ? null : await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, command, sealer, request.Actor.Id, request.Now));
    }

    /// <summary>The form: an outcome from the charter's list, an optional comment of bounded length.</summary>
    public static ValidationErrors Check(CloseSituation command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.Outcomes.Has(command.Outcome), "outcome", "L'issue doit être choisie dans la liste de la charte.")
        .OptionalText(command.CommentInClear, "comment", "Le commentaire", MaxCommentLength);

    /// <summary>Only an open situation that the group has examined can be closed; the comment, if any, is sealed.</summary>
    public static SituationClosed Decide(Situation situation, CloseSituation command, SituationSealer? sealer, Guid actorId, DateTimeOffset now)
    {
        RequireClosable(situation);
        RequireNoRunningActionUnlessStated(situation, command);
        var comment = string.IsNullOrWhiteSpace(command.CommentInClear) ? null : sealer!.Seal(SealedFields.ClosureComment, command.CommentInClear.Trim());
        return new SituationClosed(situation.Id, command.Outcome!, comment, actorId, now);
    }

    /// <summary>The status of an action decided at an examination that is neither done nor abandoned.</summary>
    public const string RunningActionStatus = "en-cours";

    /// <summary>Pure: the actions of the situation still running (kind and due date are all a page shows of them).</summary>
    public static IReadOnlyList<ActionState> RunningActions(Situation situation) =>
        [.. situation.Actions.Where(a => a.Status == RunningActionStatus).OrderBy(a => a.DueOn)];

    /// <summary>
    /// Pure: a closure while an action is still running must say so (<see cref="CloseSituation.DespiteRunningActions"/>),
    /// so that no follow-up is dropped by mistake (409 otherwise).
    /// </summary>
    public static void RequireNoRunningActionUnlessStated(Situation situation, CloseSituation command)
    {
        var running = RunningActions(situation).Count;
        if (running == 0 || command.DespiteRunningActions) return;
        throw Problems.OutOfOrder(running == 1
            ? "Une action décidée pour cette situation est encore en cours : pour clôturer malgré tout, indiquez-le expressément " +
              "(despiteRunningActions), ou enregistrez d'abord son état."
            : $"{running} actions décidées pour cette situation sont encore en cours : pour clôturer malgré tout, indiquez-le " +
              "expressément (despiteRunningActions), ou enregistrez d'abord leur état.");
    }

    /// <summary>Pure: the state a closure needs (409 otherwise).</summary>
    public static void RequireClosable(Situation situation)
    {
        SituationForWriting.RequireOpen(situation);
        if (situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Une situation ne peut être clôturée qu'après avoir été examinée par le groupe.");
    }
}

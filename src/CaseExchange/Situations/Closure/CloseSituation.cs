using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Closure;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the optional comment is free text.</summary>
public sealed record CloseSituation(string? Outcome, [property: JsonPropertyName("comment")] string? CommentInClear, long? ExpectedVersion)
{
    public override string ToString() => "[clôture nominative]";
}

public static class CloseSituationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/closure", Summary = "Clôturer la situation"), Tags("Situations")]
    public static async Task<SituationChanged> Post(string council, Guid situationId, CloseSituation command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        target.RequireLead(actor, policy);
        target.RequireVersion(command.ExpectedVersion);
        new ValidationErrors()
            .When(!policy.Outcomes.Has(command.Outcome), "outcome", "L'issue doit être choisie dans la liste de la charte.")
            .OptionalText(command.CommentInClear, "comment", "Le commentaire", 1000)
            .ThrowIfAny();
        target.RequireNotClosed();
        if (target.Situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Une situation ne peut être clôturée qu'après avoir été examinée par le groupe.");

        SealedText? comment = null;
        if (!string.IsNullOrWhiteSpace(command.CommentInClear))
        {
            var cipher = await keys.SealerForAsync(session, situationId);
            comment = cipher.Seal(SealedFields.ClosureComment, command.CommentInClear.Trim());
        }
        return target.Append(new SituationClosed(situationId, command.Outcome!, comment, actor.Id, clock.GetUtcNow()));
    }
}

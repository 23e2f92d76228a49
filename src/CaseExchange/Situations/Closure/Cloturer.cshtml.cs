using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Closure;

public sealed class ClosureForm
{
    public string? Outcome { get; set; }

    /// <summary>NOMINATIVE, IN CLEAR until sealed.</summary>
    public string? Comment { get; set; }

    public bool DespiteRunningActions { get; set; }
    public long? ExpectedVersion { get; set; }
}

/// <summary>
/// Closing a situation with its outcome: the animateur of the holding group or the coordonnateur. While an action is
/// still running, the form lists the running actions (kind and due date only) and asks to state the closure anyway.
/// </summary>
public sealed class CloturerModel(SituationKeys keys) : CouncilPageModel
{
    [BindProperty] public ClosureForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public IReadOnlyList<ActionState> RunningActions { get; private set; } = [];

    /// <summary>Why the form is not offered (closed, erased, never examined), or null when it is.</summary>
    public string? NotClosable { get; private set; }

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            async () =>
            {
                try
                {
                    return await CloseSituationUseCase.HandleAsync(CouncilRequest, situationId,
                        new CloseSituation(Input.Outcome, Input.Comment, Input.ExpectedVersion, Input.DespiteRunningActions), keys);
                }
                catch (ProblemException e) when (e.Problem.Type == ProblemTypes.OutOfOrder && RunningActions.Count > 0 && !Input.DespiteRunningActions)
                {
                    // The running-actions refusal goes back to the form, on the box that states the closure anyway.
                    // The API's wording names the command's field; the page names its box.
                    new ValidationErrors().Add("despiteRunningActions", RunningActions.Count == 1
                        ? "Une action décidée pour cette situation est encore en cours : cochez la case pour clôturer malgré tout, ou enregistrez d'abord son état."
                        : $"{RunningActions.Count} actions décidées pour cette situation sont encore en cours : cochez la case pour clôturer malgré tout, ou enregistrez d'abord leur état.")
                        .ThrowIfAny();
                    throw;
                }
            },
            changed =>
            {
                Tell($"Situation {changed.Pseudonym} clôturée.");
                return Redirect(Href($"situations/{situationId}"));
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case: the form is offered only to those who may close (403 otherwise).
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        target.RequireLead(Actor, Policy);
        RunningActions = CloseSituationUseCase.RunningActions(target.Situation);
        try
        {
            CloseSituationUseCase.RequireClosable(target.Situation);
        }
        catch (ProblemException e) when (e.Problem.Type == ProblemTypes.OutOfOrder)
        {
            NotClosable = e.Problem.Detail;
        }
    }
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Web;

/// <summary>
/// A page of one council (<c>/c/{council}/…</c>). Before any handler runs, <see cref="ProblemsAsPages"/> opens a Marten
/// session for the council and loads the member behind the session cookie: a visitor who is not an active member of
/// this council gets the refusal page. Handlers call the same use cases as the API, with this session.
/// </summary>
public abstract class CouncilPageModel : PageModel
{
    private const string NoticeKey = "Notice";

    public string Council { get; private set; } = "";

    /// <summary>This request's council, caller, session, policy and clock: what page handlers pass to the use cases.</summary>
    public CouncilRequest CouncilRequest { get; private set; } = null!;

    public IDocumentSession Session => CouncilRequest.Session;
    public Actor Actor => CouncilRequest.Actor;
    public MeView Me { get; private set; } = null!;
    public CharterPolicy Policy => CouncilRequest.Policy;
    public TimeProvider Clock => CouncilRequest.Clock;

    public DateOnly Today => Display.Today(Clock);

    /// <summary>A confirmation left by the previous request (after a redirect); it holds no nominative data.</summary>
    public string? Notice { get; private set; }

    public string CouncilName => Actor.Council.Name;

    public string Href(string relative = "") => relative.Length == 0 ? $"/c/{Council}" : $"/c/{Council}/{relative}";

    public bool HasCouncilCapability(string capability) => AccessRules.CouncilCapability(Policy, Actor.Member, capability).Allowed;

    public bool CanReadAnonymised => AccessRules.ReadAnonymised(Policy, Actor.Member, Actor.Council, Me.Groups.Count > 0).Allowed;

    public IEnumerable<MyGroup> GroupsWhereICan(string capability) => Me.Groups.Where(g => Policy.RoleHas(g.Role, capability));

    /// <summary>Séances are prepared by the coordonnateur (council role) or a group's animateur (group role).</summary>
    public bool CanPrepareSeances => HasCouncilCapability(Capabilities.PrepareSeances) || GroupsWhereICan(Capabilities.PrepareSeances).Any();

    internal async Task InitialiseAsync()
    {
        Council = RouteData.Values["council"] as string ?? "";
        if (!Codes.IsValid(Council)) throw Problems.NotFound("Ce conseil n'existe pas.");
        var session = HttpContext.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession(Council);
        HttpContext.Response.RegisterForDisposeAsync(session);
        CouncilRequest = await CouncilRequest.ResolveMemberAsync(HttpContext, session);
        Me = await ReadCouncilUseCase.MeAsync(CouncilRequest);
        // Only a request that carries a notice touches TempData (otherwise every response would clear its cookie).
        if (Request.Cookies.ContainsKey(WebSetup.NoticeCookie)) Notice = TempData[NoticeKey] as string;
    }

    /// <summary>
    /// Runs a query whose parameters come from a form sent by GET (filters, a period): a validation problem marks the
    /// fields and the page is shown with a 400 and no result; any other problem becomes the error page.
    /// </summary>
    protected async Task<T?> QueryAsync<T>(Func<Task<T>> query, string prefix = "", Func<string, string>? mapField = null) where T : class
    {
        try
        {
            return await query();
        }
        catch (ProblemException e) when (e.Problem is HttpValidationProblemDetails validation)
        {
            FormErrors.Add(ModelState, validation, prefix, HttpContext, mapField);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
    }

    /// <summary>Shown once, on the page the browser is redirected to.</summary>
    protected void Tell(string notice) => TempData[NoticeKey] = notice;

    /// <summary>
    /// Runs a use case and commits its events. A validation problem goes back to the form, field by field (its
    /// French messages never repeat a value). A 409 (an action the current state refuses, a stale version, a commit
    /// that lost to another writer) goes back to the same form too, with what was typed, a 409 status and the problem's
    /// title and detail in the form's summary (<see cref="FormErrors.Refuse"/>): nothing was written. Any other problem
    /// (403, 404, 410, 503…) becomes the error page.
    /// </summary>
    protected async Task<IActionResult> SubmitAsync<T>(Func<Task<T>> useCase, Func<T, IActionResult> then, Func<Task> reload,
        string prefix = "Input", Func<string, string>? mapField = null)
    {
        var status = StatusCodes.Status400BadRequest;
        if (ModelState.IsValid)
        {
            try
            {
                var result = await useCase();
                await Session.SaveChangesAsync(HttpContext.RequestAborted);
                return then(result);
            }
            catch (ProblemException e) when (e.Problem is HttpValidationProblemDetails validation)
            {
                FormErrors.Add(ModelState, validation, prefix, HttpContext, mapField);
            }
            catch (Exception e) when (KnownExceptionsAsProblems.Of(e, Request.Method) is { Status: StatusCodes.Status409Conflict } conflict)
            {
                // Nothing of the refused command may be committed by a later save on this session.
                Session.EjectAllPendingChanges();
                if (conflict.Type == ProblemTypes.ConcurrentUpdate && !conflict.Extensions.ContainsKey("currentVersion"))
                    await ConcurrencyFailures.AddCurrentVersionAsync(conflict, e, HttpContext);
                FormErrors.Refuse(HttpContext, conflict);
                status = StatusCodes.Status409Conflict;
            }
        }
        await reload();
        Response.StatusCode = status;
        return Page();
    }
}

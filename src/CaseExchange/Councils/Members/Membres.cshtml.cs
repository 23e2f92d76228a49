using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Members;

public sealed class MemberForm
{
    public string? Subject { get; set; }
    public string? DisplayName { get; set; }
    public string? Organisation { get; set; }
    public string? Function { get; set; }
    public string? Email { get; set; }
    public List<string> CouncilRoles { get; set; } = [];
}

/// <summary>The council's members (professionals, named for accountability) and the registration form.</summary>
public sealed class MembresModel : CouncilPageModel
{
    [BindProperty] public MemberForm Input { get; set; } = new();

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAsync() => SubmitAsync(
        async () =>
        {
            Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
            return await RegisterMemberUseCase.HandleAsync(CouncilRequest, new RegisterMember(Input.Subject, Input.DisplayName, Input.Organisation, Input.Function,
                Input.CouncilRoles, Email: Input.Email));
        },
        created =>
        {
            Tell($"{created.DisplayName} est inscrit(e). Ajoutez-le ou la à ses groupes de travail ; il ou elle devra signer la charte avant tout accès nominatif.");
            return Redirect(Href("membres"));
        },
        LoadAsync);

    /// <summary>The member whose suspension or reinstatement form was refused, and the reason chosen: shown again as typed.</summary>
    public Guid? PostedMemberId { get; private set; }

    public string? PostedReason { get; private set; }

    /// <summary>The model-state key of a member's suspension or reinstatement form (also the id of its select).</summary>
    public static string ReasonKey(Guid memberId) => $"Motif_{memberId:N}";

    /// <summary>Charte: "suspension immédiate, à titre conservatoire" of the member's accesses.</summary>
    public Task<IActionResult> OnPostSuspendreAsync(Guid memberId, string? reason) => MemberActAsync(memberId, reason,
        () => SuspendMemberUseCase.SuspendAsync(CouncilRequest, memberId, new SuspendMember(reason)),
        m => $"Les accès de {m.DisplayName} sont suspendus à titre conservatoire ; l'institution dont il ou elle relève doit en être informée.");

    public Task<IActionResult> OnPostReactiverAsync(Guid memberId, string? reason) => MemberActAsync(memberId, reason,
        () => SuspendMemberUseCase.ReinstateAsync(CouncilRequest, memberId, new ReinstateMember(reason)),
        m => $"La suspension de {m.DisplayName} est levée : ses accès sont rétablis.");

    /// <summary>The model-state key of a member's deactivation confirmation (also the id of its checkbox).</summary>
    public static string DeactivationKey(Guid memberId) => $"Desactivation_{memberId:N}";

    /// <summary>The member leaves the council for good (every access ends, every group left): asked to confirm first.</summary>
    public async Task<IActionResult> OnPostDesactiverAsync(Guid memberId, bool confirm)
    {
        PostedMemberId = memberId;
        if (!confirm)
        {
            await LoadAsync();
            ModelState.AddModelError(DeactivationKey(memberId), "Cochez la case pour confirmer la désactivation : elle met fin à tout accès et retire le membre de ses groupes.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return await SubmitAsync(() => DeactivateMemberUseCase.HandleAsync(CouncilRequest, memberId),
            changed =>
            {
                Tell($"{changed.DisplayName} est désactivé(e) : plus aucun accès, plus aucun groupe.");
                return Redirect(Href("membres"));
            },
            LoadAsync, prefix: "");
    }

    private Task<IActionResult> MemberActAsync(Guid memberId, string? reason, Func<Task<MemberView>> useCase, Func<MemberView, string> notice)
    {
        (PostedMemberId, PostedReason) = (memberId, reason);
        return SubmitAsync(useCase,
            changed =>
            {
                Tell(notice(changed));
                return Redirect(Href("membres"));
            },
            LoadAsync, prefix: "", mapField: _ => ReasonKey(memberId));
    }

    public string? CharterStatus(MemberView m) =>
        Actor.Council.CharterVersionInForce is not { } version ? null : m.SignedCharterVersions.Contains(version) ? "Signée" : "Non signée";

    private async Task LoadAsync()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
        Members = await BrowseMembersUseCase.ListAsync(CouncilRequest);
    }
}

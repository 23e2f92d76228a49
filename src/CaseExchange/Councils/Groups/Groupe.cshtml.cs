using CaseExchange.Charter;
using CaseExchange.Councils.Members;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Groups;

public sealed class AddMemberForm
{
    public Guid? MemberId { get; set; }
    public string? Role { get; set; }
}

/// <summary>One working group: its members and their roles; the coordonnateur adds, changes and removes.</summary>
public sealed class GroupeModel : CouncilPageModel
{
    [BindProperty] public AddMemberForm Input { get; set; } = new();

    public GroupView Group { get; private set; } = null!;
    public IReadOnlyList<MemberView> Candidates { get; private set; } = [];

    /// <summary>The role chosen on a member's row when the change was refused: the row shows it again.</summary>
    public (Guid MemberId, string? Role)? PostedRole { get; private set; }

    public string? RoleShownFor(GroupMemberView member) => PostedRole is { } posted && posted.MemberId == member.MemberId ? posted.Role : member.Role;

    /// <summary>The group's instance kind, with its rules (chair's title, nominative or not, notice).</summary>
    public InstanceKind Kind => Policy.KindOf(Group.Kind);

    public async Task OnGetAsync(Guid groupId) => await LoadAsync(groupId);

    public Task<IActionResult> OnPostAjouterAsync(Guid groupId) => SubmitAsync(
        async () =>
        {
            await LoadAsync(groupId);
            return await ChangeMembershipUseCase.AddAsync(CouncilRequest, groupId, new AddGroupMember(Input.MemberId ?? Guid.Empty, Input.Role));
        },
        view => Done(groupId, $"{NameIn(view, Input.MemberId ?? Guid.Empty)} a rejoint le groupe."),
        () => LoadAsync(groupId));

    public Task<IActionResult> OnPostRoleAsync(Guid groupId, Guid memberId, string? role) => SubmitAsync(
        () =>
        {
            PostedRole = (memberId, role);
            return ChangeMembershipUseCase.ChangeRoleAsync(CouncilRequest, groupId, memberId, new ChangeGroupRole(role));
        },
        view => Done(groupId, $"Le rôle de {NameIn(view, memberId)} est maintenant « {Display.RoleLabel(Policy, role ?? "")} »."),
        () => LoadAsync(groupId), prefix: "");

    public Task<IActionResult> OnPostTypeAsync(Guid groupId, string? kind) => SubmitAsync(
        () => ChangeGroupKindUseCase.HandleAsync(CouncilRequest, groupId, new ChangeGroupKind(kind)),
        view => Done(groupId, $"Le groupe est maintenant de type « {Display.GroupKind(Policy, view.Kind)} »."),
        () => LoadAsync(groupId), prefix: "");

    public Task<IActionResult> OnPostRetirerAsync(Guid groupId, Guid memberId) => SubmitAsync(
        () => ChangeMembershipUseCase.RemoveAsync(CouncilRequest, groupId, memberId),
        _ => Done(groupId, "Le membre a quitté le groupe : il n'a plus accès aux dossiers nominatifs du groupe."),
        () => LoadAsync(groupId), prefix: "");

    private IActionResult Done(Guid groupId, string notice)
    {
        Tell(notice);
        return Redirect(Href($"groupes/{groupId}"));
    }

    private static string NameIn(GroupView view, Guid memberId) => view.Members.FirstOrDefault(m => m.MemberId == memberId)?.DisplayName ?? "Le membre";

    private async Task LoadAsync(Guid groupId)
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageGroups);
        Group = await BrowseGroupsUseCase.GetAsync(CouncilRequest, groupId);
        var inGroup = Group.Members.Select(m => m.MemberId).ToHashSet();
        var members = await BrowseMembersUseCase.ListAsync(CouncilRequest);
        Candidates = [.. members.Where(m => m.Active && !inGroup.Contains(m.MemberId))];
    }
}

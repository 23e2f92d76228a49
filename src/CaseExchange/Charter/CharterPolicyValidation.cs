namespace CaseExchange.Charter;

/// <summary>Start-up checks: a policy that contradicts the charter's fixed rules stops the service.</summary>
internal static class CharterPolicyValidation
{
    /// <summary>Identity fields the code knows how to seal; the policy must classify each of them, and only them.</summary>
    public static readonly IReadOnlySet<string> KnownIdentityFields = new HashSet<string>
    {
        "nom", "prenom", "sexe", "dateNaissance", "adresse", "telephone", "courriel",
        "situationScolaireOuProfessionnelle", "representantsLegaux",
    };

    public static void ThrowIfInvalid(CharterPolicy policy)
    {
        var errors = Errors(policy);
        if (errors.Count > 0)
            throw new CharterPolicyException("charter/policy.json breaks the charter: " + string.Join("; ", errors));
    }

    /// <summary>What the policy breaks of the charter's fixed rules (none for a valid policy).</summary>
    public static IReadOnlyList<string> Errors(CharterPolicy policy)
    {
        var errors = new List<string>();

        var classified = policy.IdentityFields.Select(f => f.Code).ToHashSet();
        foreach (var missing in KnownIdentityFields.Except(classified))
            errors.Add($"identity field '{missing}' is not classified in identityFields");
        foreach (var unknown in classified.Except(KnownIdentityFields))
            errors.Add($"identityFields names '{unknown}', which the service does not collect");
        foreach (var field in policy.IdentityFields.Where(f => !f.Nominative))
            errors.Add($"identity field '{field.Code}' must be nominative: every identity field is sealed");
        if (!policy.FreeTextIsNominative)
            errors.Add("freeTextIsNominative must be true: free text is sealed like identities");

        foreach (var (name, list) in new (string, IReadOnlyList<ListEntry>)[]
                 {
                     ("personRoles", policy.PersonRoles), ("referralReasons", policy.ReferralReasons), ("urgencies", policy.Urgencies),
                     ("accessPurposes", policy.AccessPurposes), ("archiveAccessReasons", policy.ArchiveAccessReasons),
                     ("erasureOrderReasons", policy.ErasureOrderReasons),
                     ("compteRenduWithdrawalReasons", policy.CompteRenduWithdrawalReasons),
                     ("memberSuspensionReasons", policy.MemberSuspensionReasons), ("memberReinstatementReasons", policy.MemberReinstatementReasons),
                     ("accessRequestChannels", policy.AccessRequestChannels), ("accessRequestExtensionReasons", policy.AccessRequestExtensionReasons),
                     ("decisionKinds", policy.DecisionKinds), ("actionKinds", policy.ActionKinds),
                     ("actionStatuses", policy.ActionStatuses), ("outcomes", policy.Outcomes), ("partnerRoles", policy.PartnerRoles),
                 })
        {
            if (list.Count == 0) errors.Add($"{name} is empty");
            if (list.Select(e => e.Code).Distinct().Count() != list.Count) errors.Add($"{name} has duplicate codes");
        }

        if (!policy.PersonRoles.Has(PersonRoles.Followed))
            errors.Add($"personRoles must include '{PersonRoles.Followed}'");
        if (policy.AgeBands.Count == 0 || policy.AgeBands[^1].MaxAge is not null)
            errors.Add("ageBands must end with an open band (maxAge null)");
        if (policy.Retention.InactiveArchiveYears is < 1 or > 10)
            errors.Add("retention.inactiveArchiveYears must be between 1 and 10");
        if (policy.Retention.AgeLimitYears is < 18 or > 30)
            errors.Add("retention.ageLimitYears must be between 18 and 30");
        if (policy.Statistics.MinimumCount < 3)
            errors.Add("statistics.minimumCount must be at least 3, or a count could single a person out");

        // Groups recorded before the kinds were configurable are thematic or territorial: both kinds stay listed.
        foreach (var kept in new[] { "thematique", "territorial" }.Where(code => policy.InstanceKinds.All(k => k.Code != code)))
            errors.Add($"instanceKinds must include '{kept}'");
        if (policy.InstanceKinds.Select(k => k.Code).Distinct().Count() != policy.InstanceKinds.Count) errors.Add("instanceKinds has duplicate codes");
        foreach (var kind in policy.InstanceKinds.Where(k => k.Sector is not (InstanceKind.SectorNone or InstanceKind.SectorRequired or InstanceKind.SectorOptional)))
            errors.Add($"instance kind '{kind.Code}': sector must be none, required or optional");
        foreach (var kind in policy.InstanceKinds.Where(k => k.MinimumNoticeDays is < 0 or > 60))
            errors.Add($"instance kind '{kind.Code}': minimumNoticeDays must be between 0 and 60");

        foreach (var required in Roles.CouncilRoles.Concat(Roles.GroupRoles).Append(Roles.Referent))
            if (!policy.Roles.ContainsKey(required)) errors.Add($"role '{required}' is missing from roles");
        foreach (var (role, rolePolicy) in policy.Roles)
        {
            foreach (var capability in rolePolicy.Capabilities.Where(c => !Capabilities.All.Contains(c)))
                errors.Add($"role '{role}' has unknown capability '{capability}'");
        }
        // Charter rules 3 and 7: auditors and the plenary never reach nominative content.
        foreach (var role in new[] { Roles.Auditeur, Roles.President, Roles.Maire })
        {
            if (!policy.Roles.TryGetValue(role, out var rolePolicy)) continue;
            foreach (var capability in rolePolicy.Capabilities.Where(Capabilities.Nominative.Contains))
                errors.Add($"role '{role}' may not have the nominative capability '{capability}'");
        }
        if (policy.Roles.TryGetValue(Roles.President, out var president) && president.Capabilities.Contains(Capabilities.ReadAnonymisedSituations))
            errors.Add("role 'president' sees statistics only, not per-situation views");
        if (president is not null && president.Capabilities.Contains(Capabilities.ReadGroups))
            errors.Add("role 'president' sees statistics only, not groups, members or séances");

        if (policy.Roles.TryGetValue(Roles.Maire, out var maire)
            && maire.Capabilities.Any(c => c is Capabilities.ReadAnonymisedSituations or Capabilities.ReadGroups or Capabilities.ReadStatistics))
            errors.Add("role 'maire' sees his commune's statistics only");

        return errors;
    }
}

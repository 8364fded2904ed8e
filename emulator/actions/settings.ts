import type { EmulatorState } from '../state.js';
import type { WireBody } from './context.js';

/**
 * Account settings, shared by RAM and IMS with their wire differences: RAM says `HardExpiry`, IMS
 * `HardExpire`; both keep the misspelled `MaxLoginAttemps` (reference gotcha 7).
 */
export function passwordPolicy(state: EmulatorState, ims: boolean): WireBody {
  const p = state.passwordPolicy;
  const common: WireBody = {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireNumbers: p.requireNumbers,
    RequireSymbols: p.requireSymbols,
    MaxPasswordAge: p.maxPasswordAge,
    PasswordReusePrevention: p.passwordReusePrevention,
    MaxLoginAttemps: p.maxLoginAttempts,
  };
  if (!ims) return { PasswordPolicy: { ...common, HardExpiry: p.hardExpiry } };
  return {
    PasswordPolicy: {
      ...common,
      HardExpire: p.hardExpiry,
      MinimumPasswordDifferentCharacter: p.minimumPasswordDifferentCharacter,
      PasswordNotContainUserName: p.passwordNotContainUserName,
    },
  };
}

/** GetSecurityPreference; IMS adds passkey, MFA-at-login, idle-days and verification preferences. */
export function securityPreference(state: EmulatorState, ims: boolean): WireBody {
  const s = state.securityPreference;
  const login: WireBody = {
    EnableSaveMFATicket: s.enableSaveMFATicket,
    AllowUserToChangePassword: s.allowUserToChangePassword,
    LoginNetworkMasks: s.loginNetworkMasks,
    LoginSessionDuration: s.loginSessionDuration,
  };
  const common: WireBody = {
    AccessKeyPreference: { AllowUserToManageAccessKeys: s.allowUserToManageAccessKeys },
    MFAPreference: { AllowUserToManageMFADevices: s.allowUserToManageMFADevices },
  };
  if (!ims) {
    return {
      SecurityPreference: {
        ...common,
        LoginProfilePreference: login,
        PublicKeyPreference: { AllowUserToManagePublicKeys: false },
      },
    };
  }
  return {
    SecurityPreference: {
      ...common,
      LoginProfilePreference: {
        ...login,
        AllowUserToLoginWithPasskey: true,
        MFAOperationForLogin: 'independent',
        OperationForRiskLogin: 'autonomous',
      },
      // 730 days is the fixed console idle limit documented for MaxIdleDaysForUsers.
      MaxIdleDays: { MaxIdleDaysForUsers: 730, MaxIdleDaysForAccessKeys: 730 },
      PersonalInfoPreference: { AllowUserToManagePersonalDingTalk: true },
      VerificationPreference: { VerificationTypes: ['sms', 'email'] },
    },
  };
}

/**
 * Errors the emulator answers with, in the wire shape of Alibaba Cloud RPC APIs
 * (`{"RequestId","HostId","Code","Message","Recommend"}`, reference §5). The SDK turns a `Code`
 * containing "Throttling" into a ThrottlingError, other 4xx into ClientError and 5xx into ServerError.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `x-acs-retry-after` on throttling. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 404 `EntityNotExist.<entity>` with the message RAM uses, naming what was looked up. */
export function entityNotExist(entity: string, what: string, name: string): ApiError {
  return new ApiError(404, `EntityNotExist.${entity}`, `The ${what} does not exist: ${name}.`);
}

/** 400 `Missing<Param>`, the common Alibaba Cloud code for an absent mandatory parameter. */
export function missingParameter(name: string): ApiError {
  return new ApiError(
    400,
    `Missing${name}`,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

/** 400 `InvalidParameter.<name>`: the value is present but out of range or malformed. */
export function invalidParameter(name: string, why: string): ApiError {
  return new ApiError(400, `InvalidParameter.${name}`, `The parameter "${name}" is invalid: ${why}`);
}

/** The JSON body of an error response. */
export function errorBody(error: ApiError, requestId: string, hostId: string, product: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}`,
  };
}

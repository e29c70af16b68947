// The policy hook: the one import that is not the host's. The core calls it only while a
// policy with a check callback or an audit hook is installed (assembly/policy.ts), after it
// has written the request into the policy request area (core_layout(L_POLICY)). Whoever
// instantiates the core supplies it (src/core.ts), for every core: those with a host compiled
// in import it too, beside env.memory and host.abort.

/**
 * `allowed`: the rules' decision (1 allowed, 0 denied). Returns the final decision: 1 allows,
 * 0 denies (the check callback refused; its reason stays on the JavaScript side).
 */
@external("policy", "decide") declare function ext_policy_decide(allowed: i32): i32;
// A host compiled into a core that may import nothing of wasock's (host/wasi-p2: a component
// whose only imports are wasi:*) defines HOST_policy_decide instead, as bindings/host.ts's.
@inline export function policy_decide(allowed: i32): i32 { return isDefined(HOST_policy_decide) ? HOST_policy_decide(allowed) : ext_policy_decide(allowed); }

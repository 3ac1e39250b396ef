//! JNI exports of `libsandbox_rs` for JDKs without FFM (17–21), one per
//! `native` method of `dev.ku0.sandbox.bindings.JniNative`.
//!
//! Each export is a thin adapter over the C ABI function of the same name in
//! this library: it copies the Java `byte[]` arguments (UTF-8 encoded on the
//! Java side; no `String`, so no modified UTF-8 and no second decoding here)
//! into Rust memory, calls the C function with pointers to that memory, and
//! copies the fixed decision and its text back into the caller's `int[]` and
//! `byte[]`. Status codes, the last error, the decision table and the
//! engine's guarantees are therefore exactly those of the C ABI.
//!
//! - No panic crosses the boundary: the C functions catch their own, and the
//!   adapter itself runs inside `EnvUnowned::with_env`, which catches a
//!   panic of the glue and throws it as a `java.lang.RuntimeException`.
//! - Only local references are used (the method's arguments and the arrays
//!   returned to Java); no global reference is ever made, so none can leak.
//! - Handles cross as `long`. The Java side hands out a handle only while its
//!   owner is open and counts calls in flight, so a freed handle never
//!   reaches this code; a null handle is reported by the C function as
//!   `INVALID_HANDLE`, which the Java side throws.
//!
//! The `jni` crate provides the JNI types, array access and the
//! panic-to-exception policy; the only unsafe code here is the call into the
//! C functions, each with the pointers to memory this adapter owns.

use jni::errors::{Result, ThrowRuntimeExAndDefault};
use jni::objects::{JByteArray, JClass, JIntArray, JLongArray};
use jni::sys::{jint, jlong};
use jni::{Env, EnvUnowned};

use crate::{
    sandbox_abi_version, sandbox_analyze_command, sandbox_check_command, sandbox_check_file,
    sandbox_check_network, sandbox_decision_code_name, sandbox_engine_free, sandbox_engine_new,
    sandbox_file_authorization_free, sandbox_file_authorize, sandbox_file_close,
    sandbox_file_create_dir, sandbox_file_delete, sandbox_file_list, sandbox_file_open_read,
    sandbox_file_read, sandbox_file_rename, sandbox_file_write, sandbox_last_error_code,
    sandbox_last_error_message, sandbox_network_target, SandboxAuthorization, SandboxDecision,
    SandboxEngine, SandboxFile,
};

/// A Java `byte[]` copied into Rust memory; `None` for `null`.
struct Bytes(Option<Vec<i8>>);

impl Bytes {
    fn read(env: &Env, array: &JByteArray) -> Result<Bytes> {
        if array.is_null() {
            return Ok(Bytes(None));
        }
        let mut v = vec![0i8; array.len(env)?];
        array.get_region(env, 0, &mut v)?;
        Ok(Bytes(Some(v)))
    }

    /// Pointer and length as the C ABI takes them: an empty or absent array
    /// is `(NULL, 0)`, as the FFM binding passes it.
    fn raw(&self) -> (*const u8, usize) {
        match &self.0 {
            Some(v) if !v.is_empty() => (v.as_ptr().cast(), v.len()),
            _ => (std::ptr::null(), 0),
        }
    }
}

/// A Rust buffer of the size of a caller's `byte[]`, copied back after the call.
struct OutBuf<'a, 'l> {
    array: &'a JByteArray<'l>,
    buf: Vec<i8>,
}

impl<'a, 'l> OutBuf<'a, 'l> {
    fn new(env: &Env, array: &'a JByteArray<'l>) -> Result<Self> {
        let len = if array.is_null() { 0 } else { array.len(env)? };
        Ok(OutBuf {
            array,
            buf: vec![0i8; len],
        })
    }

    fn ptr(&mut self) -> (*mut u8, usize) {
        if self.buf.is_empty() {
            (std::ptr::null_mut(), 0)
        } else {
            (self.buf.as_mut_ptr().cast(), self.buf.len())
        }
    }

    /// Copies the first `n` bytes back when they fit (the C functions write
    /// nothing when they do not).
    fn copy_back(&self, env: &Env, n: usize) -> Result<()> {
        if n > 0 && n <= self.buf.len() {
            self.array.set_region(env, 0, &self.buf[..n])?;
        }
        Ok(())
    }
}

/// Writes a decision to the caller's `int[4]` and its text to the caller's `byte[]`.
fn decision_back(env: &Env, out: &JIntArray, d: &SandboxDecision, text: &OutBuf) -> Result<()> {
    if !out.is_null() {
        let fixed = [
            d.verdict as jint,
            d.code as jint,
            d.reason_len as jint,
            d.rule_len as jint,
        ];
        out.set_region(env, 0, &fixed)?;
    }
    text.copy_back(env, d.reason_len as usize + d.rule_len as usize)
}

fn long_back(env: &Env, out: &JLongArray, values: &[jlong]) -> Result<()> {
    if !out.is_null() {
        out.set_region(env, 0, values)?;
    }
    Ok(())
}

fn engine(handle: jlong) -> *const SandboxEngine {
    handle as usize as *const SandboxEngine
}

fn auth(handle: jlong) -> *const SandboxAuthorization {
    handle as usize as *const SandboxAuthorization
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_abiVersion<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jint {
    env.with_env(|_env| -> Result<jint> { Ok(sandbox_abi_version() as jint) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_engineNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    policy: JByteArray<'l>,
    workspace: JByteArray<'l>,
    home: JByteArray<'l>,
    out: JLongArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let (p, w, h) = (
            Bytes::read(env, &policy)?,
            Bytes::read(env, &workspace)?,
            Bytes::read(env, &home)?,
        );
        let ((pp, pl), (wp, wl), (hp, hl)) = (p.raw(), w.raw(), h.raw());
        let mut handle: *mut SandboxEngine = std::ptr::null_mut();
        // SAFETY: the inputs point into vectors alive for the call; `handle` is a local.
        let status = unsafe { sandbox_engine_new(pp, pl, wp, wl, hp, hl, &mut handle) };
        long_back(env, &out, &[handle as usize as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_engineFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    env.with_env(|_env| -> Result<()> {
        // SAFETY: the Java side frees a handle once, after the last call on it ended.
        unsafe { sandbox_engine_free(handle as usize as *mut SandboxEngine) };
        Ok(())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_checkFile<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    path: JByteArray<'l>,
    operation: jint,
    other: JByteArray<'l>,
    size: jlong,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let (p, o) = (Bytes::read(env, &path)?, Bytes::read(env, &other)?);
        let ((pp, pl), (op, ol)) = (p.raw(), o.raw());
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        // SAFETY: inputs and `t` are vectors alive for the call; `d` is a local;
        // the engine handle is live (see the module docs).
        let status = unsafe {
            sandbox_check_file(
                engine(handle),
                pp,
                pl,
                operation as u32,
                op,
                ol,
                size,
                &mut d,
                tp,
                tc,
            )
        };
        decision_back(env, &out, &d, &t)?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_checkNetwork<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    url: JByteArray<'l>,
    method: JByteArray<'l>,
    addresses: JByteArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let (u, m, a) = (
            Bytes::read(env, &url)?,
            Bytes::read(env, &method)?,
            Bytes::read(env, &addresses)?,
        );
        let ((up, ul), (mp, ml), (ap, al)) = (u.raw(), m.raw(), a.raw());
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        // SAFETY: as for `checkFile`.
        let status = unsafe {
            sandbox_check_network(engine(handle), up, ul, mp, ml, ap, al, &mut d, tp, tc)
        };
        decision_back(env, &out, &d, &t)?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_checkCommand<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    command: JByteArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let c = Bytes::read(env, &command)?;
        let (cp, cl) = c.raw();
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        // SAFETY: as for `checkFile`.
        let status = unsafe { sandbox_check_command(engine(handle), cp, cl, &mut d, tp, tc) };
        decision_back(env, &out, &d, &t)?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_analyzeCommand<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    command: JByteArray<'l>,
    buf: JByteArray<'l>,
    needed: JLongArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let c = Bytes::read(env, &command)?;
        let (cp, cl) = c.raw();
        let mut b = OutBuf::new(env, &buf)?;
        let (bp, bc) = b.ptr();
        let mut n: usize = 0;
        // SAFETY: as for `checkFile`; `n` is a local.
        let status = unsafe { sandbox_analyze_command(engine(handle), cp, cl, bp, bc, &mut n) };
        b.copy_back(env, n)?;
        long_back(env, &needed, &[n as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileAuthorize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    path: JByteArray<'l>,
    operation: jint,
    other: JByteArray<'l>,
    size: jlong,
    out_auth: JLongArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let (p, o) = (Bytes::read(env, &path)?, Bytes::read(env, &other)?);
        let ((pp, pl), (op, ol)) = (p.raw(), o.raw());
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        let mut a: *mut SandboxAuthorization = std::ptr::null_mut();
        // SAFETY: as for `checkFile`; `a` is a local.
        let status = unsafe {
            sandbox_file_authorize(
                engine(handle),
                pp,
                pl,
                operation as u32,
                op,
                ol,
                size,
                &mut a,
                &mut d,
                tp,
                tc,
            )
        };
        decision_back(env, &out, &d, &t)?;
        long_back(env, &out_auth, &[a as usize as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileAuthorizationFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    env.with_env(|_env| -> Result<()> {
        // SAFETY: the Java side frees a handle once, after the last call on it ended.
        unsafe { sandbox_file_authorization_free(handle as usize as *mut SandboxAuthorization) };
        Ok(())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileOpenRead<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    out_file: JLongArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        let mut f: *mut SandboxFile = std::ptr::null_mut();
        let mut size: u64 = 0;
        // SAFETY: as for `checkFile`; `f` and `size` are locals.
        let status = unsafe {
            sandbox_file_open_read(
                engine(handle),
                auth(authorization),
                &mut f,
                &mut size,
                &mut d,
                tp,
                tc,
            )
        };
        decision_back(env, &out, &d, &t)?;
        long_back(env, &out_file, &[f as usize as jlong, size as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileRead<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    file: jlong,
    buf: JByteArray<'l>,
    out_read: JLongArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let mut b = OutBuf::new(env, &buf)?;
        let (bp, bc) = b.ptr();
        let mut n: usize = 0;
        // SAFETY: the Java side uses a file handle from one thread at a time while it is open.
        let status =
            unsafe { sandbox_file_read(file as usize as *mut SandboxFile, bp, bc, &mut n) };
        b.copy_back(env, n)?;
        long_back(env, &out_read, &[n as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileClose<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    file: jlong,
) {
    env.with_env(|_env| -> Result<()> {
        // SAFETY: the Java side closes a file handle once.
        unsafe { sandbox_file_close(file as usize as *mut SandboxFile) };
        Ok(())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileWrite<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    data: JByteArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let b = Bytes::read(env, &data)?;
        let (dp, dl) = b.raw();
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        // SAFETY: as for `checkFile`.
        let status = unsafe {
            sandbox_file_write(engine(handle), auth(authorization), dp, dl, &mut d, tp, tc)
        };
        decision_back(env, &out, &d, &t)?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

type AuthOp = unsafe extern "C" fn(
    *const SandboxEngine,
    *const SandboxAuthorization,
    *mut SandboxDecision,
    *mut u8,
    usize,
) -> i32;

/// The operations that take only an authorization: create_dir, delete, rename.
fn auth_op(
    env: &Env,
    f: AuthOp,
    handle: jlong,
    authorization: jlong,
    out: &JIntArray,
    text: &JByteArray,
) -> Result<jint> {
    let mut t = OutBuf::new(env, text)?;
    let (tp, tc) = t.ptr();
    let mut d = SandboxDecision::default();
    // SAFETY: as for `checkFile`.
    let status = unsafe { f(engine(handle), auth(authorization), &mut d, tp, tc) };
    decision_back(env, out, &d, &t)?;
    Ok(status)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileCreateDir<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| {
        auth_op(
            env,
            sandbox_file_create_dir,
            handle,
            authorization,
            &out,
            &text,
        )
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileDelete<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| auth_op(env, sandbox_file_delete, handle, authorization, &out, &text))
        .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileRename<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| auth_op(env, sandbox_file_rename, handle, authorization, &out, &text))
        .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_fileList<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    authorization: jlong,
    buf: JByteArray<'l>,
    needed: JLongArray<'l>,
    out: JIntArray<'l>,
    text: JByteArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let mut b = OutBuf::new(env, &buf)?;
        let (bp, bc) = b.ptr();
        let mut t = OutBuf::new(env, &text)?;
        let (tp, tc) = t.ptr();
        let mut d = SandboxDecision::default();
        let mut n: usize = 0;
        // SAFETY: as for `checkFile`; `n` is a local.
        let status = unsafe {
            sandbox_file_list(
                engine(handle),
                auth(authorization),
                bp,
                bc,
                &mut n,
                &mut d,
                tp,
                tc,
            )
        };
        b.copy_back(env, n)?;
        long_back(env, &needed, &[n as jlong])?;
        decision_back(env, &out, &d, &t)?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_networkTarget<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    base: JByteArray<'l>,
    url: JByteArray<'l>,
    buf: JByteArray<'l>,
    needed: JLongArray<'l>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        let (b, u) = (Bytes::read(env, &base)?, Bytes::read(env, &url)?);
        let ((bp, bl), (up, ul)) = (b.raw(), u.raw());
        let mut o = OutBuf::new(env, &buf)?;
        let (op, oc) = o.ptr();
        let mut n: usize = 0;
        // SAFETY: the inputs and `o` are vectors alive for the call; `n` is a local.
        let status = unsafe { sandbox_network_target(bp, bl, up, ul, op, oc, &mut n) };
        o.copy_back(env, n)?;
        long_back(env, &needed, &[n as jlong])?;
        Ok(status)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_lastErrorCode<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jint {
    env.with_env(|_env| -> Result<jint> { Ok(sandbox_last_error_code()) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_lastErrorMessage<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> Result<JByteArray<'l>> {
        // SAFETY: a null buffer with capacity 0 asks for the length only.
        let len = unsafe { sandbox_last_error_message(std::ptr::null_mut(), 0) };
        let mut msg = vec![0u8; len];
        // SAFETY: `msg` has room for `len` bytes.
        let n = unsafe { sandbox_last_error_message(msg.as_mut_ptr(), msg.len()) };
        msg.truncate(n.min(len));
        env.byte_array_from_slice(&msg)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_decisionCodeName<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    code: jint,
) -> JByteArray<'l> {
    env.with_env(|env| -> Result<JByteArray<'l>> {
        let mut name = [0u8; 128];
        // SAFETY: `name` has room for 128 bytes.
        let n = unsafe { sandbox_decision_code_name(code as u32, name.as_mut_ptr(), name.len()) };
        if n == 0 || n > name.len() {
            return Ok(JByteArray::default());
        }
        env.byte_array_from_slice(&name[..n])
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// Panics inside the JNI glue (not inside a C function, which would catch it
/// itself), to show that the panic reaches Java as an exception.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_ku0_sandbox_bindings_JniNative_selftestPanic<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jint {
    crate::install_quiet_panic_hook();
    env.with_env(|_env| -> Result<jint> { panic!("selftest: a panic in the JNI glue") })
        .resolve::<ThrowRuntimeExAndDefault>()
}

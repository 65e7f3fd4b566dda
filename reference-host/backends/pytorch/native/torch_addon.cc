// A synchronous node-addon-api binding over libtorch's TorchScript runtime, used only inside the
// engine process started by torch-child.mjs (never in the host's own process: libtorch may abort or
// crash on crafted input, and the child's death must become an errno, not the host's).
//
// Every entry point catches c10::Error and std::exception (and anything else) and throws a JS Error
// with the message instead: no C++ exception ever crosses into node.
//
// Exports:
//   version() -> string                          the libtorch version it was built against
//   load(bytes: Uint8Array) -> { id, inputs }     torch::jit::load from the bytes; `inputs` is the
//                                                 number of forward() arguments after self
//   forward(id, [{ type, dims, data }]) -> [{ type, dims, data }]
//                                                 tuple/list outputs flattened depth-first by index
//   unload(id) -> void
//   crashForTest(kind: "segv" | "abort") -> never  used by the crash-isolation test
//   sandbox() -> string                          warms libtorch up, then takes away this process's
//                                                filesystem and TCP access with Landlock (and
//                                                no_new_privs); says what is in force, or throws why not
//
// Tensor types are the wasi-nn names: f16 f32 f64 u8 i32 i64 bf16.
#include <napi.h>

#include <torch/script.h>
#include <torch/version.h>
#include <ATen/Parallel.h>

#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::map<int64_t, std::shared_ptr<torch::jit::Module>> g_modules;
int64_t g_next_id = 1;

bool ScalarTypeOf(const std::string& name, at::ScalarType* out) {
  if (name == "f16") *out = at::kHalf;
  else if (name == "bf16") *out = at::kBFloat16;
  else if (name == "f32") *out = at::kFloat;
  else if (name == "f64") *out = at::kDouble;
  else if (name == "u8") *out = at::kByte;
  else if (name == "i32") *out = at::kInt;
  else if (name == "i64") *out = at::kLong;
  else return false;
  return true;
}

const char* WasiNameOf(at::ScalarType t) {
  switch (t) {
    case at::kHalf: return "f16";
    case at::kBFloat16: return "bf16";
    case at::kFloat: return "f32";
    case at::kDouble: return "f64";
    case at::kByte: return "u8";
    case at::kInt: return "i32";
    case at::kLong: return "i64";
    default: return nullptr;
  }
}

// Runs `body`, turning every C++ exception into a JS Error carrying its message.
template <typename F>
Napi::Value Guarded(const Napi::CallbackInfo& info, const char* what, F body) {
  Napi::Env env = info.Env();
  std::string message;
  try {
    return body(env);
  } catch (const Napi::Error&) {
    throw;  // already a JS error (argument checks below)
  } catch (const c10::Error& e) {
    message = e.what_without_backtrace();
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown C++ exception";
  }
  throw Napi::Error::New(env, std::string(what) + ": " + message);
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), TORCH_VERSION);
}

Napi::Value Load(const Napi::CallbackInfo& info) {
  return Guarded(info, "torch::jit::load", [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "load(bytes: Uint8Array)");
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    std::string data(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
    std::istringstream stream(data);
    auto module = std::make_shared<torch::jit::Module>(torch::jit::load(stream, c10::Device(c10::kCPU)));
    module->eval();
    auto method = module->find_method("forward");
    if (!method) throw std::runtime_error("the module has no forward method");
    const auto& args = method->function().getSchema().arguments();
    int64_t inputs = static_cast<int64_t>(args.size()) - 1;  // minus self
    int64_t id = g_next_id++;
    g_modules[id] = module;
    Napi::Object result = Napi::Object::New(env);
    result.Set("id", Napi::Number::New(env, static_cast<double>(id)));
    result.Set("inputs", Napi::Number::New(env, static_cast<double>(inputs)));
    return result;
  });
}

void Flatten(const c10::IValue& value, std::vector<at::Tensor>* out) {
  if (value.isTensor()) {
    out->push_back(value.toTensor());
  } else if (value.isTuple()) {
    for (const auto& v : value.toTupleRef().elements()) Flatten(v, out);
  } else if (value.isList()) {
    for (const c10::IValue& v : value.toListRef()) Flatten(v, out);
  } else if (value.isTensorList()) {
    for (const at::Tensor& t : value.toTensorVector()) out->push_back(t);
  } else {
    throw std::runtime_error("forward returned a " + value.tagKind() + ", which is not a tensor, tuple or list of tensors");
  }
}

Napi::Value Forward(const Napi::CallbackInfo& info) {
  return Guarded(info, "forward", [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsArray()) throw Napi::TypeError::New(env, "forward(id, inputs[])");
    int64_t id = info[0].As<Napi::Number>().Int64Value();
    auto found = g_modules.find(id);
    if (found == g_modules.end()) throw Napi::Error::New(env, "forward: no module " + std::to_string(id));
    Napi::Array inputs = info[1].As<Napi::Array>();
    std::vector<c10::IValue> args;
    for (uint32_t i = 0; i < inputs.Length(); i++) {
      Napi::Object t = inputs.Get(i).As<Napi::Object>();
      std::string type = t.Get("type").As<Napi::String>().Utf8Value();
      at::ScalarType scalar;
      if (!ScalarTypeOf(type, &scalar)) throw Napi::TypeError::New(env, "forward: unknown tensor type " + type);
      Napi::Array dimsJs = t.Get("dims").As<Napi::Array>();
      std::vector<int64_t> dims;
      for (uint32_t d = 0; d < dimsJs.Length(); d++) dims.push_back(dimsJs.Get(d).As<Napi::Number>().Int64Value());
      Napi::Uint8Array data = t.Get("data").As<Napi::Uint8Array>();
      at::Tensor tensor = torch::empty(dims, torch::TensorOptions().dtype(scalar));
      size_t need = static_cast<size_t>(tensor.numel()) * tensor.element_size();
      if (need != data.ByteLength()) {
        throw Napi::Error::New(env, "forward: input " + std::to_string(i) + " has " + std::to_string(data.ByteLength()) +
                                        " bytes, its dims need " + std::to_string(need));
      }
      if (need > 0) std::memcpy(tensor.data_ptr(), data.Data(), need);
      args.emplace_back(std::move(tensor));
    }
    c10::IValue result;
    {
      torch::NoGradGuard no_grad;
      result = found->second->forward(args);
    }
    std::vector<at::Tensor> outputs;
    Flatten(result, &outputs);
    Napi::Array out = Napi::Array::New(env, outputs.size());
    for (size_t i = 0; i < outputs.size(); i++) {
      at::Tensor t = outputs[i].contiguous();
      const char* name = WasiNameOf(t.scalar_type());
      if (!name) {
        throw std::runtime_error("output " + std::to_string(i) + " is " + std::string(c10::toString(t.scalar_type())) +
                                 ", which has no wasi-nn tensor type");
      }
      if (t.is_sparse() || !t.device().is_cpu()) throw std::runtime_error("output " + std::to_string(i) + " is not a dense CPU tensor");
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", Napi::String::New(env, name));
      Napi::Array dims = Napi::Array::New(env, t.dim());
      for (int64_t d = 0; d < t.dim(); d++) dims.Set(static_cast<uint32_t>(d), Napi::Number::New(env, static_cast<double>(t.size(d))));
      o.Set("dims", dims);
      size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
      Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::Copy(env, bytes > 0 ? static_cast<const uint8_t*>(t.data_ptr()) : nullptr, bytes);
      o.Set("data", buf);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

Napi::Value Unload(const Napi::CallbackInfo& info) {
  return Guarded(info, "unload", [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "unload(id)");
    g_modules.erase(info[0].As<Napi::Number>().Int64Value());
    return env.Undefined();
  });
}

// Kills the engine process the way a libtorch bug would, so the isolation can be tested.
Napi::Value CrashForTest(const Napi::CallbackInfo& info) {
  std::string kind = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (kind == "abort") std::abort();
  if (kind == "segv") std::raise(SIGSEGV);
  throw Napi::Error::New(info.Env(), "crashForTest(\"segv\" | \"abort\")");
}

// Landlock access rights this code knows, per ABI version (include/uapi/linux/landlock.h).
uint64_t FsRights(long abi) {
  uint64_t fs = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) fs |= (1ULL << 13);  // LANDLOCK_ACCESS_FS_REFER
  if (abi >= 3) fs |= (1ULL << 14);  // LANDLOCK_ACCESS_FS_TRUNCATE
  if (abi >= 5) fs |= (1ULL << 15);  // LANDLOCK_ACCESS_FS_IOCTL_DEV
  return fs;
}

// Runs a few operators first, so that libtorch's lazy start-up (cpuinfo reading /sys, the
// OpenMP pool) happens while files are still reachable; then a Landlock ruleset that handles
// every filesystem right (and, from ABI 4, TCP bind and connect) with no rule granting any: from
// here on this process cannot open, create, exec or remove a file, nor open a TCP connection.
// File descriptors it already holds (its IPC channel with the host) keep working.
Napi::Value Sandbox(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  {
    torch::NoGradGuard no_grad;
    auto a = torch::ones({4, 4});
    auto b = torch::matmul(a, a).relu().softmax(1);
    (void)b.sum().item<float>();
  }
  long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) throw Napi::Error::New(env, std::string("Landlock is not available in this kernel: ") + std::strerror(errno));
  struct {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
  } attr = {FsRights(abi), abi >= 4 ? (1ULL << 0) | (1ULL << 1) : 0};  // LANDLOCK_ACCESS_NET_BIND_TCP | CONNECT_TCP
  size_t size = abi >= 4 ? sizeof(attr) : sizeof(uint64_t);
  long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (fd < 0) throw Napi::Error::New(env, std::string("landlock_create_ruleset: ") + std::strerror(errno));
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    close(static_cast<int>(fd));
    throw Napi::Error::New(env, std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno));
  }
  if (syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
    int e = errno;
    close(static_cast<int>(fd));
    throw Napi::Error::New(env, std::string("landlock_restrict_self: ") + std::strerror(e));
  }
  close(static_cast<int>(fd));
  return Napi::String::New(env, "Landlock ABI " + std::to_string(abi) + ": no filesystem access" + (abi >= 4 ? ", no TCP" : ""));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // One intra-op thread: the fixtures are tiny, and results do not depend on the machine's core count.
  at::set_num_threads(1);
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("load", Napi::Function::New(env, Load));
  exports.Set("forward", Napi::Function::New(env, Forward));
  exports.Set("unload", Napi::Function::New(env, Unload));
  exports.Set("crashForTest", Napi::Function::New(env, CrashForTest));
  exports.Set("sandbox", Napi::Function::New(env, Sandbox));
  return exports;
}

}  // namespace

NODE_API_MODULE(torch_addon, Init)

// The throttling plugin uses Bottleneck's light build; its limiters are made from the same module, typed as the full one.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
